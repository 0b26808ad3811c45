"""Where smstui keeps things (platformdirs), and its log file; light enough to import before the first frame."""

from __future__ import annotations

import logging
from pathlib import Path

APP_NAME = "smstui"


def config_dir() -> Path:
    """The platform's config directory for smstui."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def data_dir() -> Path:
    """The platform's data directory for smstui (the database lives here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def state_dir() -> Path:
    """The platform's state directory for smstui (the log, reply bodies kept when the database failed)."""
    from platformdirs import user_state_path

    return user_state_path(APP_NAME)


def log_path() -> Path:
    """smstui.log in the state directory."""
    return state_dir() / "smstui.log"


def setup_logging() -> None:
    """Warnings and errors (with tracebacks) of smstui and of the servers it runs go to the log file, not the
    terminal: the TUI draws the screen there, and the CLI's own output is what people and scripts read."""
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_path(), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("smstui", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False
