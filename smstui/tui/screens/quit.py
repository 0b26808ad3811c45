"""Quitting while a send runs: asked first; stopping waits for the requests in flight, `resume` sends the rest."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..styles import WARNING, Lines
from .modal import Dialog


class QuitWhileSending(Dialog[bool]):
    """Keep sending (the default) or stop after the requests in flight and quit."""

    CSS_PATH = "../sending/sending.tcss"
    BINDINGS = [Binding("escape", "keep", "Keep sending", id="quit.keep")]

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("quit.title"), classes="title")
            yield Static(Lines().line(t("quit.body"), WARNING).content(), id="quit-body")
            with Horizontal(classes="buttons"):
                yield Button(t("quit.keep"), id="keep", variant="primary")
                yield Button(t("quit.stop"), id="stop", variant="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed, "#stop")
    def handle_stop(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Go on sending."""
        self.dismiss(False)
