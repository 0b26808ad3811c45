"""A TextArea that reports an edit at once, so what depends on the text is drawn in the same frame as the text."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult


class LiveTextArea(TextArea):
    """Calls `on_edit` inside the edit itself (TextArea.Changed arrives a frame later; a live counter would lag)."""

    def __init__(self, *args, on_edit: Callable[[], None] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.on_edit = on_edit

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if self.on_edit is not None:
            self.on_edit()
        return result
