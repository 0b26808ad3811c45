"""TUI fixtures: the same terminal everywhere, so pictures never depend on the machine."""

from __future__ import annotations

import time

import pytest


@pytest.fixture(autouse=True)
def same_terminal_everywhere(monkeypatch):
    """Pictures must not depend on the machine: colours on, no Textual overrides, one time zone (UTC)."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TEXTUAL", "TEXTUAL_ANIMATIONS", "COLORTERM", "LANG", "LC_ALL",
                 "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
