"""A fixed-size text panel that repaints without asking for a new layout (cheap on every keystroke)."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class Readout(Widget):
    """Shows a Content; updating it repaints only this widget."""

    DEFAULT_CSS = "Readout { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")

    def update(self, content: Content) -> None:
        """Show new content (the widget's size stays what its CSS says); the same content again costs nothing."""
        if not content.is_same(self._content):
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content
