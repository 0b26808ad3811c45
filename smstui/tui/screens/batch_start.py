"""`smstui batch FILE --edit`: the app, starting in the Batch area with the file opened in the editor."""

from __future__ import annotations

from pathlib import Path

from textual import on

from ..app import SmsApp
from ..launch import Launcher
from ..messages import ServiceReady
from .batch import BatchScreen


class BatchEditorApp(SmsApp):
    """The app, which goes to the Batch area and opens a file once the service is ready (the first time only)."""

    CSS_PATH = str(Path(__file__).parent.parent / "app.tcss")  # the app's own styles (a path is relative to the class)

    def __init__(self, launcher: Launcher, path: str, *, language: str = "auto",
                 keymap: dict[str, str] | None = None) -> None:
        super().__init__(launcher, language=language, keymap=keymap)
        self.batch_path = path

    @on(ServiceReady)
    def open_the_batch(self) -> None:
        if not self.batch_path:
            return
        path, self.batch_path = self.batch_path, ""
        self.call_after_refresh(self._go, path)  # the app's own handler installs the areas first

    def _go(self, path: str) -> None:
        self.switch_mode("batch")
        self.call_after_refresh(self._open, path)

    def _open(self, path: str) -> None:
        screen = self.screen
        if isinstance(screen, BatchScreen):
            screen.query_one("#path").value = path  # type: ignore[attr-defined]
            screen.open_file(path)

