"""A faithful simulator of the SMS gateway: every endpoint, rule, queue and fault."""

from .config import (
    AccountConfig,
    FaultConfig,
    SimConfig,
    SimConfigError,
    load_sim_config,
)
from .server import Simulator, run_standalone

__all__ = [
    "AccountConfig",
    "FaultConfig",
    "SimConfig",
    "SimConfigError",
    "Simulator",
    "load_sim_config",
    "run_standalone",
]
