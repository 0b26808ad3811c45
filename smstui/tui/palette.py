"""The command palette: every action in the user's language, found by its English words too, with its key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .styles import MUTED

if TYPE_CHECKING:
    from .app import SmsApp
    from .strings import Strings


@dataclass(frozen=True)
class PaletteCommand:
    """One entry of the palette: the string keys of its title and help, what it does, the key that also does it."""

    title: str
    help: str
    run: Callable[[], object]
    key: str = ""
    values: dict[str, object] = field(default_factory=dict)

    def words(self, strings: Strings) -> tuple[str, str, str]:
        """Its title in the user's language, in English, and its help."""
        values = {k: strings(v) if isinstance(v, str) and v.startswith("area.") else v for k, v in self.values.items()}
        english = {k: strings.english(v) if isinstance(v, str) and v.startswith("area.") else v
                   for k, v in self.values.items()}
        return strings(self.title, **values), strings.english(self.title, **english), strings(self.help, **values)


class Commands(Provider):
    """smstui's commands: the app's and the screen's, matched on the title in both languages."""

    def _entries(self) -> list[tuple[str, str, str, PaletteCommand]]:
        app: SmsApp = self.app  # type: ignore[assignment]
        return [(*command.words(app.strings), command) for command in app.palette_commands(self.screen)]

    def _display(self, title: str, command: PaletteCommand, shown: Content | None = None) -> Content:
        text = shown if shown is not None else Content(title)
        return text.append(Content.styled(f"  {command.key}", MUTED)) if command.key else text

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for title, _, help_text, command in self._entries():
            yield DiscoveryHit(self._display(title, command), command.run, help=help_text)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        """The commands whose title, in either language, matches what was typed."""
        matcher = self.matcher(query)
        for title, english, help_text, command in self._entries():
            own, other = matcher.match(title), matcher.match(english)
            score = max(own, other)
            if score > 0:
                shown = matcher.highlight(title) if own >= other else None
                yield Hit(score, self._display(title, command, shown), command.run, help=help_text)
