"""The Textual application (imported only when the TUI runs)."""

from __future__ import annotations

from .app import SmsApp
from .launch import DemoLauncher, DemoSettings, Launcher, ProfileLauncher


def make_app(launcher: Launcher, *, language: str = "auto", keymap: dict[str, str] | None = None,
             live_counter: bool = True) -> SmsApp:
    """The app, for the CLI, the tests, the screenshots and the benchmarks alike."""
    app = SmsApp(launcher, language=language, keymap=keymap)
    app.live_counter = live_counter
    return app


def batch_editor_app(launcher: Launcher, path: str, *, language: str = "auto",
                     keymap: dict[str, str] | None = None) -> SmsApp:
    """The app for `smstui batch FILE --edit`: the Batch area with the file open in the editor."""
    from .screens.batch_start import BatchEditorApp

    return BatchEditorApp(launcher, path, language=language, keymap=keymap)


__all__ = ["DemoLauncher", "DemoSettings", "Launcher", "ProfileLauncher", "SmsApp", "batch_editor_app", "make_app"]
