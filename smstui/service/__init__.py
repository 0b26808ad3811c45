"""The async service layer: gateway client, store, sending, pollers, push receiver, config."""

from .balance import Balances, BalanceView
from .client import GatewayClient, SendReceipt
from .config import AppConfig, Profile, PushSettings, load_config, save_config
from .errors import (
    BodyLost,
    ConfigError,
    GatewayRefused,
    InvalidInput,
    ServiceError,
    StoreError,
    UnknownOutcome,
    Unreachable,
)
from .events import BalanceChanged, EventBus, GapsFound, RawReplyKept, ReportsArrived, SendProgress, UplinksArrived
from .mms_draft import DraftError, DraftSlide, DraftStore, MmsDraft
from .mms_fit import Fitted, Picture, PictureError, Pixels, read_picture
from .secrets import Secret
from .sending import BatchJob, Held, Job, MmsJob, Preflight, SendHandle, SendOutcome, SmsJob
from .smsservice import ConnectionCheck, SmsService
from .store import Store
from .templates import (
    Decided,
    ImportPlan,
    ImportResult,
    TemplateBook,
    TemplateFile,
    TemplateRow,
    TemplatesChanged,
    read_template_file,
)

__all__ = [
    "AppConfig", "BalanceChanged", "BalanceView", "Balances", "BatchJob", "BodyLost", "ConfigError", "ConnectionCheck",
    "EventBus", "GapsFound", "GatewayClient", "GatewayRefused", "Held", "InvalidInput", "Job", "MmsJob", "Preflight",
    "Profile", "PushSettings", "RawReplyKept", "ReportsArrived", "Secret", "SendHandle", "SendOutcome", "SendProgress",
    "SendReceipt", "ServiceError", "SmsJob", "SmsService", "Store", "StoreError", "UnknownOutcome", "Unreachable",
    "UplinksArrived", "load_config", "save_config",
]
__all__ += ["DraftError", "DraftSlide", "DraftStore", "Fitted", "MmsDraft", "Picture", "PictureError", "Pixels",
            "read_picture"]
__all__ += ["Decided", "ImportPlan", "ImportResult", "TemplateBook", "TemplateFile", "TemplateRow", "TemplatesChanged",
            "read_template_file"]
