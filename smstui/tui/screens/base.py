"""The frame every area shares: the header line, the body, the area bar, the footer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Footer

from ..messages import DataChanged
from ..strings import localise_bindings, localised_bindings
from ..widgets.area_bar import AreaBar
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from ..app import SmsApp

from ..palette import PaletteCommand


class AreaScreen(Screen[None]):
    """A screen for one area of the app (Compose, Reports, …)."""

    AREA = ""
    WATCHES: frozenset[str] = frozenset()  # the kinds of rows this area shows: new ones make it refresh

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0  # the app's service generation this screen last loaded from
        self.seen: dict[str, int] = {}  # the app's data versions this screen last showed

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
        self._catch_up()

    def on_screen_resume(self) -> None:
        self.app.set_area(self.AREA)
        if self.generation != self.app.generation:
            self.reload()
        elif self._catch_up():
            self.refresh_data()

    @on(DataChanged)
    def handle_data_changed(self, message: DataChanged) -> None:
        if message.kinds & self.WATCHES and self._catch_up():
            self.refresh_data()

    def _catch_up(self) -> bool:
        """Whether rows this area shows arrived since it last looked (it looks now)."""
        now = {kind: self.app.versions[kind] for kind in self.WATCHES}
        moved, self.seen = now != self.seen, now
        return moved

    def reload(self) -> None:
        """Show what the (newly opened) service has: called when the profile changed."""
        self.generation = self.app.generation
        self._catch_up()

    def refresh_data(self) -> None:
        """New rows of a kind this area watches reached the store (here or in another process)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings the footer and the help show, Textual's own in the user's language too."""
        return localised_bindings(super().active_bindings, self.app.strings)

    def commands(self) -> Iterable[PaletteCommand]:
        """Command palette entries of this area."""
        return ()
