"""Reconciling a send in doubt from the TUI: what the reports prove, and the re-send only on the user's word."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from ... import protocol as p
from ...service import ServiceError
from ...service.sending import ReconcileResult
from ..messages import ServiceFailed
from ..screens.modal import Dialog
from ..styles import MUTED, SUCCESS, WARNING, Lines

SHOWN = 10


class ReconcileScreen(Dialog[str | None]):
    """Drains reports, decides, shows what is proved; dismisses with "resend" when the user chooses to re-send."""

    CSS_PATH = "sending.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="reconcile.close")]

    @dataclass
    class Decided(Message):
        """What reconciliation proved."""

        results: list[ReconcileResult]

    def __init__(self, send_id: str) -> None:
        super().__init__()
        self.send_id = send_id

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("reconcile.title", send=self.send_id), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(Lines().line(t("reconcile.working"), MUTED).content(), id="reconciled")
            with Horizontal(classes="buttons"):
                yield Button(t("reconcile.resend", count=0), id="resend", variant="warning", disabled=True)
                yield Button(t("reconcile.close_in_doubt"), id="checked", disabled=True)
                yield Button(t("reconcile.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#close", Button).focus()
        self.decide()

    @work(exclusive=True, group="reconcile", exit_on_error=False)
    async def decide(self) -> None:
        """Reconcile on the service (reports drained first)."""
        service = self.app.service
        if service is None:
            return
        try:
            results = await service.reconcile(self.send_id)
        except ServiceError as exc:
            self.app.post_message(ServiceFailed(exc, "reconcile"))
            self.dismiss(None)
            return
        self.post_message(self.Decided(results))
        self.app.data_changed("sends")

    @on(Decided)
    def handle_decided(self, message: Decided) -> None:
        t = self.app.strings
        results = message.results
        confirmed = sum(len(r.confirmed) for r in results)
        unconfirmed = [m for r in results for m in r.unconfirmed]
        ambiguous = [m for r in results for m in r.ambiguous]
        body = Lines().line(t("reconcile.confirmed", count=confirmed), SUCCESS)
        if unconfirmed:
            body.line(t("reconcile.unconfirmed", count=len(unconfirmed)), WARNING)
            body.line("  " + ", ".join(unconfirmed[:SHOWN]) + (" …" if len(unconfirmed) > SHOWN else ""), MUTED)
        if ambiguous:
            causes = Counter(cause for r in results for cause in r.why.values())
            for cause, count in causes.items():
                body.line(t(f"reconcile.why.{cause}", count=count), WARNING)
            body.line("  " + ", ".join(ambiguous[:SHOWN]) + (" …" if len(ambiguous) > SHOWN else ""), MUTED)
        service = self.app.service
        ready = False
        if unconfirmed and service is not None:
            settle_at = max(r.settle_at for r in results if r.unconfirmed)
            ready = service.clock() >= settle_at
            if not ready:
                body.line(t("reconcile.wait", when=p.format_send_time(settle_at)), MUTED)
        elif not ambiguous:
            body.line(t("reconcile.settled"), MUTED)
        self.query_one("#reconciled", Static).update(body.content())
        button = self.query_one("#resend", Button)
        button.label = t("reconcile.resend", count=len(unconfirmed))
        button.disabled = not ready
        self.query_one("#checked", Button).disabled = not ambiguous

    @on(Button.Pressed, "#resend")
    def handle_resend(self) -> None:
        self.dismiss("resend")

    @on(Button.Pressed, "#checked")
    def handle_checked(self) -> None:
        self.dismiss("close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back, nothing re-sent."""
        self.dismiss(None)
