"""Shown while the service (and, in demo mode, the simulator) starts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static


class Starting(Screen[None]):
    """A short wait."""

    CSS_PATH = "starting.tcss"

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static("smstui", id="name")
            yield LoadingIndicator()

    def on_screen_suspend(self) -> None:
        # Its animation would keep ticking behind the areas for the whole session (a refresh every few frames).
        for indicator in self.query(LoadingIndicator):
            indicator.remove()
