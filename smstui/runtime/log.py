"""smstui's log file: warnings and errors of smstui and of the servers it runs, never the terminal."""

from __future__ import annotations

import logging

from .files import private_file
from .locations import log_path


def setup_logging() -> None:
    """Send warnings and errors (with tracebacks) to the log file: the TUI draws the screen on the terminal, and the
    CLI's own output is what people and scripts read. The file is owner-only: it may name customers' numbers."""
    try:
        handler: logging.Handler = logging.FileHandler(private_file(log_path()), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("smstui", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False
