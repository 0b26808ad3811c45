"""Compose's message field: Tab selects a template's next `@` to type over, in the order the keys came."""

from __future__ import annotations

from textual import events
from textual.widgets.text_area import Selection

from ... import protocol as p
from .live_text_area import LiveTextArea


class FillingTextArea(LiveTextArea):
    """A LiveTextArea whose Tab selects the next variable (a run of `@`) after the cursor, or the first; with none
    left, Tab moves on as usual. Handled here, not by a binding: a binding runs once the key has bubbled up to the
    app, after keys typed behind it (a fast typist, a paste) were already inserted."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "tab" and self.select_next_variable():
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def select_next_variable(self) -> bool:
        """Select the next `@` run after the cursor (the first when none is after it); whether there was one."""
        text = self.text
        variables = p.template_variables(text)
        if not variables:
            return False
        row, column = self.selection.end
        offset = sum(len(line) + 1 for line in text.split("\n")[:row]) + column
        chosen = next((v for v in variables if v.start >= offset), variables[0])
        self.selection = Selection(_location(text, chosen.start), _location(text, chosen.end))
        return True


def _location(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)
