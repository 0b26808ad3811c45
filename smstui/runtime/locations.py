"""Where smstui keeps things (platformdirs); light enough to import before the first frame."""

from __future__ import annotations

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
