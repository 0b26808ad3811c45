"""The one table of areas: id, keys, and the screen — read by the app, the area bar, the palette and the help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


def _compose() -> Screen:
    from .screens.compose import ComposeScreen

    return ComposeScreen()


def _reports() -> Screen:
    from .screens.lists import ReportsScreen

    return ReportsScreen()


def _inbox() -> Screen:
    from .screens.lists import InboxScreen

    return InboxScreen()


def _account() -> Screen:
    from .screens.account import AccountScreen

    return AccountScreen()


def _soon(area: str) -> Callable[[], Screen]:
    def make() -> Screen:
        from .screens.soon import ComingSoon

        return ComingSoon(area)

    return make


@dataclass(frozen=True, slots=True)
class Area:
    """One area of the app: its id (also its mode), its keys (F-key first, then the SSH-safe Alt key), its screen."""

    id: str
    keys: tuple[str, ...]
    screen: Callable[[], Screen]

    @property
    def key(self) -> str:
        """The key the area bar shows."""
        return self.keys[0].upper()


AREAS: tuple[Area, ...] = (
    Area("compose", ("f2", "alt+c"), _compose),
    Area("batch", ("f3", "alt+b"), _soon("batch")),
    Area("mms", ("f4", "alt+m"), _soon("mms")),
    Area("reports", ("f5", "alt+r"), _reports),
    Area("inbox", ("f6", "alt+i"), _inbox),
    Area("templates", ("f7", "alt+t"), _soon("templates")),
    Area("account", ("f8", "alt+a"), _account),
)
AREA_IDS = tuple(area.id for area in AREAS)
