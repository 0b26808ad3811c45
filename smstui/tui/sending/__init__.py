"""The one send flow, mounted by every area that sends: check, confirm, plan, progress, result."""

from .confirm import ConfirmSend, IncludeHeld
from .flow import CHECK_DELAY, SendFlow
from .progress import SendProgressScreen
from .result import SendResultScreen

__all__ = ["CHECK_DELAY", "ConfirmSend", "IncludeHeld", "SendFlow", "SendProgressScreen", "SendResultScreen"]
