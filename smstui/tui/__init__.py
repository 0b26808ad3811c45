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


__all__ = ["DemoLauncher", "DemoSettings", "Launcher", "ProfileLauncher", "SmsApp", "make_app"]
