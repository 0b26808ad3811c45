"""The row of areas above the footer: each with its key, the current one marked, clickable."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static


class AreaBar(Static):
    """F2 Compose  F3 Batch  …  F8 Account — the way to every area, always on screen."""

    def on_mount(self) -> None:
        self.watch(self.app, "status", self.show, init=True)

    def show(self, status) -> None:
        """Draw the areas, the current one highlighted."""
        from ..app import AREA_KEYS

        t = self.app.strings
        line = Text(no_wrap=True, overflow="ellipsis")
        self._spans: list[tuple[int, int, str]] = []
        for area, keys in AREA_KEYS.items():
            start = line.cell_len
            current = area == status.area
            line.append(f" {keys[0].upper()} ", style="bold reverse" if current else "bold")
            line.append(f"{t(f'area.{area}')} ", style="bold reverse" if current else "")
            self._spans.append((start, line.cell_len, area))
        self.update(line)

    def on_click(self, event: events.Click) -> None:
        for start, end, area in getattr(self, "_spans", []):
            if start <= event.x < end:
                self.app.action_area(area)
                return
