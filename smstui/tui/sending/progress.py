"""Progress of a running send, named by its send id from the first moment: Esc stops it even before any reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from ..screens.modal import Dialog

if TYPE_CHECKING:
    from ...service import SendHandle, SendProgress


class SendProgressScreen(Dialog[None]):
    """Numbers done, rate, time left; Esc stops the send after the requests in flight (the rest can be resumed)."""

    CSS_PATH = "sending.tcss"
    BINDINGS = [Binding("escape", "stop", "Stop", id="progress.stop")]

    @dataclass
    class Progressed(Message):
        """The send moved on (coalesced: only the latest matters)."""

        progress: SendProgress

        def can_replace(self, message: Message) -> bool:
            """A newer progress replaces an older one still in the queue."""
            return isinstance(message, SendProgressScreen.Progressed)

    def __init__(self, handle: SendHandle) -> None:
        super().__init__()
        self.handle = handle
        self.stopping = False

    @property
    def send_id(self) -> str:
        """The send this dialog shows."""
        return self.handle.send_id

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("progress.title"), classes="title")
            yield ProgressBar(id="bar", show_eta=False, total=self.handle.recipients)
            yield Static(t("progress.starting", send=self.send_id), id="progress-text")
            yield Static(t("progress.hint"), classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(t("progress.stop"), id="stop", variant="warning")

    @on(Button.Pressed, "#stop")
    def handle_stop(self) -> None:
        self.action_stop()

    @on(Progressed)
    def handle_progress(self, message: Progressed) -> None:
        progress = message.progress
        self.query_one("#bar", ProgressBar).update(total=progress.recipients_total, progress=progress.recipients_done)
        if self.stopping:
            return
        eta = "" if progress.eta_seconds is None else f"{progress.eta_seconds:.0f}s"
        self.query_one("#progress-text", Static).update(
            self.app.strings(
                "progress.text",
                done=progress.recipients_done,
                total=progress.recipients_total,
                rate=progress.rate,
                eta=eta,
            )
        )

    def action_stop(self) -> None:
        """Stop the send after the requests in flight (it has an id from the start, so this works at once)."""
        if self.app.service is None or self.stopping:
            return
        self.stopping = True
        self.app.service.cancel(self.send_id)
        self.query_one("#progress-text", Static).update(self.app.strings("progress.stopping"))
        self.query_one("#stop", Button).disabled = True
