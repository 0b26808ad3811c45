"""The async service layer: gateway client, store, sending, pollers, push receiver, config."""

from .client import GatewayClient, SendReceipt
from .config import AppConfig, Profile, PushSettings, load_config, save_config
from .core import ConnectionCheck, SmsService
from .errors import (
    ConfigError,
    GatewayRefused,
    InvalidInput,
    ServiceError,
    StoreError,
    UnknownOutcome,
    Unreachable,
)
from .events import EventBus, RawReplyKept, ReportsArrived, SendProgress, UplinksArrived
from .secrets import Secret
from .sending import Held, Preflight, SendOutcome, SendRequest
from .store import Store

__all__ = [
    "AppConfig", "ConfigError", "ConnectionCheck", "EventBus", "GatewayClient", "GatewayRefused", "Held", "InvalidInput",
    "Preflight", "Profile", "PushSettings", "RawReplyKept", "ReportsArrived", "Secret", "SendOutcome", "SendProgress",
    "SendReceipt", "SendRequest", "ServiceError", "SmsService", "Store", "StoreError", "UnknownOutcome", "Unreachable",
    "UplinksArrived", "load_config", "save_config",
]
