"""The frame every area shares: the header line, the body, the area bar, the footer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..strings import localise_bindings
from ..widgets.area_bar import AreaBar
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from ..app import SmsApp

PaletteEntry = tuple[str, str, Callable[[], object]]


class AreaScreen(Screen[None]):
    """A screen for one area of the app (Compose, Reports, …)."""

    AREA = ""

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0  # the app's service generation this screen last loaded from

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status-line")
        yield from self.compose_body()
        yield AreaBar(id="area-bar")
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        """The area's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)
        self.generation = self.app.generation

    def on_screen_resume(self) -> None:
        self.app.set_area(self.AREA)
        if self.generation != self.app.generation:
            self.reload()

    def reload(self) -> None:
        """Show what the (newly opened) service has: called when the profile changed."""
        self.generation = self.app.generation

    def commands(self) -> Iterable[PaletteEntry]:
        """Command palette entries of this area: (title, help, callback)."""
        return ()
