"""Shown while the service (and, in demo mode, the simulator) starts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static


class Starting(Screen):
    """A short wait."""

    DEFAULT_CSS = "Starting Static { width: auto; } Starting LoadingIndicator { height: 1; }"

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static("smstui")
            yield LoadingIndicator()
