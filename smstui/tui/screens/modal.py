"""The base of smstui's dialogs: its bindings in the user's language, the app typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import on
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...service import ServiceError
from ...words import error_text
from ..strings import localise_bindings, localised_bindings
from ..styles import ERROR, MUTED, Lines

if TYPE_CHECKING:
    from ..app import SmsApp

R = TypeVar("R")


class Dialog(ModalScreen[R], Generic[R]):
    """A modal dialog of smstui."""

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings the footer and the help show, Textual's own in the user's language too."""
        return localised_bindings(super().active_bindings, self.app.strings)


class WorkingDialog(Dialog[R], Generic[R]):
    """A dialog that does its work itself and says in place what went wrong, keeping what was typed: it has a
    `#said` line, and `#go` buttons that wait while a request is out."""

    @dataclass
    class Failed(Message):
        """The service (or the gateway, or a file) refused."""

        error: ServiceError

    @on(Failed)
    def handle_failed(self, message: Failed) -> None:
        self.say(error_text(self.app.strings, message.error), ERROR)
        self.busy(False)

    def say(self, text: str, style: str = MUTED) -> None:
        """A line under the fields."""
        self.query_one("#said", Static).update(Lines().line(text, style).content() if text else "")

    def busy(self, busy: bool) -> None:
        """While a request is out, its button waits."""
        for button in self.query("#go"):
            button.disabled = busy

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close, doing nothing."""
        self.dismiss(None)
