"""The one table of areas: id, keys, and the screen — read by the app, the area bar, the palette and the help."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .screens.base import AreaScreen


@dataclass(frozen=True, slots=True)
class Area:
    """One area of the app: its id (also its mode), its keys (F-key first, then the SSH-safe Alt key), its screen
    (a module and class, imported only when the area is first shown)."""

    id: str
    keys: tuple[str, ...]
    where: str  # "module:Class" under smstui.tui.screens

    @property
    def key(self) -> str:
        """The key the area bar shows."""
        return self.keys[0].upper()

    def screen_class(self) -> type[AreaScreen]:
        """The class of the area's screen."""
        module, _, name = self.where.partition(":")
        cls: type[AreaScreen] = getattr(importlib.import_module(f"smstui.tui.screens.{module}"), name)
        return cls

    def screen(self) -> AreaScreen:
        """A new screen of the area."""
        cls = self.screen_class()
        return cls()


AREAS: tuple[Area, ...] = (
    Area("compose", ("f2", "alt+c"), "compose:ComposeScreen"),
    Area("batch", ("f3", "alt+b"), "batch:BatchScreen"),
    Area("mms", ("f4", "alt+m"), "mms:MmsScreen"),
    Area("reports", ("f5", "alt+r"), "reports:ReportsScreen"),
    Area("inbox", ("f6", "alt+i"), "inbox:InboxScreen"),
    Area("templates", ("f7", "alt+t"), "templates:TemplatesScreen"),
    Area("account", ("f8", "alt+a"), "account:AccountScreen"),
)
AREA_IDS = tuple(area.id for area in AREAS)
BY_ID = {area.id: area for area in AREAS}
