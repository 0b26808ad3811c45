"""A path field that completes files of some kinds and folders as it is typed; Tab takes the completion."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

BATCH_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff")
LOOKED_AT = 2000  # entries of a folder looked at, at most


def complete_path(value: str, suffixes: tuple[str, ...]) -> str | None:
    """The value completed as far as the folder's files of these kinds and its folders agree (folders end in /),
    or None."""
    if not value:
        return None
    folder_text, slash, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_text)) if folder_text else Path("/" if slash else ".")
    names = []
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= LOOKED_AT:
                    break
                if not entry.name.startswith(prefix) or (entry.name.startswith(".") and not prefix.startswith(".")):
                    continue
                if entry.is_dir():
                    names.append(entry.name + "/")
                elif entry.name.lower().endswith(suffixes):
                    names.append(entry.name)
    except OSError:
        return None
    if not names:
        return None
    common = os.path.commonprefix(names)  # noqa: RUF071 (names of one folder: characters it is)
    if len(common) <= len(prefix):
        return None
    return value + common[len(prefix):]


class PathSuggester(Suggester):
    """Completes paths of files of some kinds, reading folders off the event loop."""

    def __init__(self, suffixes: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        """The completion of a path typed so far."""
        return await asyncio.to_thread(complete_path, value, self.suffixes)


class PathInput(Input):
    """An Input for a file's path: Tab takes the completion shown (else moves on, as Tab does)."""

    BINDINGS = [Binding("tab", "complete", "Complete", id="path.complete", show=False)]

    def __init__(self, suffixes: tuple[str, ...], **kwargs) -> None:
        super().__init__(suggester=PathSuggester(suffixes), **kwargs)

    def action_complete(self) -> None:
        """Take the completion, or go to the next field."""
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
