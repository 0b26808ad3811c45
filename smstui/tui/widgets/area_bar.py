"""The row of areas above the footer: each with its key, the current one marked, clickable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.widgets import Static

from ..areas import AREAS

if TYPE_CHECKING:
    from ..app import SmsApp
    from .status_line import Status


class AreaBar(Static):
    """F2 Compose  F3 Batch  …  F8 Account — the way to every area, always on screen."""

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def on_mount(self) -> None:
        self._spans: list[tuple[int, int, str]] = []
        self.watch(self.app, "status", self.show, init=True)

    def show(self, status: Status) -> None:
        """Draw the areas, the current one highlighted."""
        t = self.app.strings
        parts: list[tuple[str, str]] = []
        self._spans = []
        start = 0
        for area in AREAS:
            current = area.id == status.area
            key, name = f" {area.key} ", f"{t(f'area.{area.id}')} "
            parts += [(key, "bold reverse" if current else "bold"), (name, "bold reverse" if current else "")]
            end = start + Content(key + name).cell_length
            self._spans.append((start, end, area.id))
            start = end
        self.update(Content.assemble(*parts))

    def on_click(self, event: events.Click) -> None:
        for start, end, area in self._spans:
            if start <= event.x < end:
                self.app.action_area(area)
                return
