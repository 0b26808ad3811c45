"""The result of a send: what the outcome says, rendered; the next steps it offers are buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from ...words import held_text, refusal_text
from ..screens.modal import Dialog
from ..styles import ERROR, SUCCESS, WARNING, Lines

if TYPE_CHECKING:
    from ...service import SendOutcome

SHOWN_TASKS = 6
SHOWN_HELD = 8


class SendResultScreen(Dialog[str | None]):
    """Task ids, accepted count, refusals with reasons, held and unknown parts; dismisses with the next step."""

    CSS_PATH = "sending.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="result.close")]

    def __init__(self, outcome: SendOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        t = self.app.strings
        o = self.outcome
        colon = t("colon")
        body = Lines()
        body.line(t("result.accepted", accepted=f"{o.accepted:,}", total=f"{o.recipients:,}"),
                  f"bold {SUCCESS}" if o.whole else f"bold {WARNING}")
        rows = [(t("result.send"), o.send_id)] if o.send_id else []
        if o.task_ids:
            rows.append((t("result.tasks"), ", ".join(o.task_ids[:SHOWN_TASKS])
                         + (" …" if len(o.task_ids) > SHOWN_TASKS else "")))
        if o.balance is not None:
            rows.append((t("result.balance"), f"{o.balance:,}"))
        if o.scheduled:
            rows.append((t("result.scheduled"), t("confirm.at", when=o.scheduled)))
        body.rows(rows, colon)
        for refusal in o.refusals():
            body.line(
                f"{t('result.refused')} ({refusal.count}){colon}{refusal_text(t, refusal.code, refusal.message)}",
                ERROR
            )
        if o.curable:
            body.line(t("result.curable", count=len(o.curable)), WARNING)
        if o.not_accepted:
            body.line(t("result.not_accepted", count=o.not_accepted), WARNING)
        if o.unknown:
            body.line(t("result.unknown", count=o.unknown_count, send=o.send_id), WARNING)
        if o.unsent:
            body.line(t("result.unsent", count=o.unsent_count, send=o.send_id), WARNING)
        for held in o.held[:SHOWN_HELD]:
            body.line(f"{t('result.held')}{colon}{held_text(t, held)}", WARNING)
        if len(o.held) > SHOWN_HELD:
            body.line(f"  … +{len(o.held) - SHOWN_HELD}", WARNING)
        with Vertical(id="dialog"):
            yield Static(t("result.title"), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(body.content(), id="result")
            with Horizontal(classes="buttons"):
                if o.curable:
                    yield Button(t("result.again", count=len(o.curable)), id="again", variant="warning")
                if o.unknown:
                    yield Button(t("result.reconcile"), id="reconcile", variant="warning")
                if o.unsent and o.send_id:
                    yield Button(t("result.resume"), id="resume", variant="warning")
                yield Button(t("result.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#again")
    def handle_again(self) -> None:
        self.dismiss("again")

    @on(Button.Pressed, "#reconcile")
    def handle_reconcile(self) -> None:
        self.dismiss("reconcile")

    @on(Button.Pressed, "#resume")
    def handle_resume(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to the area."""
        self.dismiss(None)
