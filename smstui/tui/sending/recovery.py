"""What needs the user after faults and crashes: sends in doubt (reconcile), sends left part-way (resume), gaps
(accept), kept bodies (replay)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from ...service import ServiceError
from ...service.smsservice import Recovery
from ..messages import ServiceFailed
from ..screens.modal import Dialog
from ..styles import MUTED, SUCCESS, WARNING, Lines

SHOWN = 6


class RecoveryScreen(Dialog[str | None]):
    """Lists what needs the user; dismisses with `reconcile:SEND_ID` or `resume:SEND_ID`, or after replaying or
    forgetting here."""

    CSS_PATH = "sending.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="recovery.close")]

    @dataclass
    class Found(Message):
        """The recovery state as the service found it."""

        recovery: Recovery

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("recovery.title"), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(Lines().line(t("recovery.looking"), MUTED).content(), id="recovery")
            with Horizontal(classes="buttons", id="recovery-buttons"):
                yield Button(t("recovery.reconcile"), id="reconcile", variant="warning")
                yield Button(t("recovery.resume"), id="resume", variant="warning")
                yield Button(t("recovery.replay"), id="replay")
                yield Button(t("recovery.forget"), id="forget", variant="warning")
                yield Button(t("recovery.close"), id="close", variant="primary")

    def __init__(self) -> None:
        super().__init__()
        self.in_doubt: list[str] = []  # the sends in doubt, oldest first: Reconcile takes the first
        self.stopped: list[str] = []  # the sends left part-way, oldest first: Resume takes the first

    def on_mount(self) -> None:
        super().on_mount()
        for button in ("#reconcile", "#resume", "#replay", "#forget"):
            self.query_one(button, Button).display = False
        self.query_one("#close", Button).focus()
        self.look()

    @work(exclusive=True, group="recovery-look", exit_on_error=False)
    async def look(self, replay: bool = False, forget: bool = False) -> None:
        """Ask the service what needs the user (replaying what a crash left, or forgetting gaps, first)."""
        service = self.app.service
        if service is None:
            return
        try:
            if replay:
                await service.recover()
            if forget:
                await service.forget_gaps()
            found = await service.recovery()
        except ServiceError as exc:
            self.app.post_message(ServiceFailed(exc, "recovery"))
            return
        self.post_message(self.Found(found))
        if replay or forget:
            self.app.data_changed("reports", "uplinks", "sends")

    @on(Found)
    def handle_found(self, message: Found) -> None:
        t = self.app.strings
        found = message.recovery
        body = Lines()
        if found.clear:
            body.line(t("recovery.clear"), SUCCESS)
        for send in found.in_doubt[:SHOWN]:
            body.line(t.count("recovery.send", send.unknown + send.inflight, send=send.id, created=send.created),
                      WARNING)
        if len(found.in_doubt) > SHOWN:
            body.line(f"  … +{len(found.in_doubt) - SHOWN}", WARNING)
        if len(found.in_doubt) > 1:
            body.line(t("recovery.first", send=found.in_doubt[0].id), MUTED)
        for stopped in found.stopped[:SHOWN]:
            body.line(t.count("recovery.stopped", stopped.rows_waiting, send=stopped.send_id, created=stopped.created),
                      WARNING)
        if len(found.stopped) > SHOWN:
            body.line(f"  … +{len(found.stopped) - SHOWN}", WARNING)
        for gap in found.gaps[:SHOWN]:
            body.line(t("recovery.gap", kind=t(f"recovery.kind.{gap.kind}"), at=gap.started_at), WARNING)
            cause = t.get(f"recovery.cause.{gap.cause}", gap.reason)
            body.line(f"  {cause}" + (t("recovery.saved", items=gap.items) if gap.items else ""), MUTED)
        if found.kept:
            body.line(t("recovery.kept", count=found.kept), WARNING)
        if found.waiting:
            body.line(t("recovery.waiting", count=found.waiting), WARNING)
        if found.gaps:
            body.line(t("recovery.gap_hint"), MUTED)
        self.query_one("#recovery", Static).update(body.content())
        self.in_doubt = [send.id for send in found.in_doubt]
        self.stopped = [stopped.send_id for stopped in found.stopped]
        self.query_one("#reconcile", Button).display = bool(found.in_doubt)  # only what there is to do
        self.query_one("#resume", Button).display = bool(found.stopped)
        self.query_one("#replay", Button).display = bool(found.kept or found.waiting)
        self.query_one("#forget", Button).display = bool(found.gaps)

    @on(Button.Pressed, "#reconcile")
    def handle_reconcile(self) -> None:
        self.dismiss(f"reconcile:{self.in_doubt[0]}")

    @on(Button.Pressed, "#resume")
    def handle_resume(self) -> None:
        self.dismiss(f"resume:{self.stopped[0]}")

    @on(Button.Pressed, "#replay")
    def handle_replay(self) -> None:
        self.look(replay=True)

    @on(Button.Pressed, "#forget")
    def handle_forget(self) -> None:
        self.look(forget=True)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)

