"""The frame every area shares: the header line, the body, the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..i18n import localise_bindings
from ..widgets.status_line import StatusLine


class AreaScreen(Screen):
    """A screen for one area of the app (Compose, Reports, …)."""

    AREA = ""

    def compose(self) -> ComposeResult:
        yield StatusLine()
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        """The area's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)

    def on_screen_resume(self) -> None:
        self.app.set_area(self.AREA)
