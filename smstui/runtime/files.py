"""Files that hold secrets or customers' numbers: created owner-only, in directories others cannot list."""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """A directory created (with its parents) owner-only; an existing one is left as it is."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """The path of a file that exists and is owner-only (created empty when missing, tightened when it was looser)."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, OWNER_ONLY))
    if path.stat().st_mode & 0o077:
        path.chmod(OWNER_ONLY)
    return path
