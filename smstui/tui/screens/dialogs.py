"""The send dialogs: confirmation, progress, result."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from ... import protocol as p
from ..i18n import localise_bindings
from ..messages import SendProgressed


class ConfirmSend(ModalScreen):
    """Recipients, segments, total cost, balance after, schedule — and the explicit choice to send."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
                Binding("enter", "confirm", "Send", id="confirm.send", show=False)]

    def __init__(self, preflight, balance: int | None) -> None:
        super().__init__()
        self.preflight = preflight
        self.balance = balance

    def compose(self) -> ComposeResult:
        t = self.app.strings
        pf = self.preflight
        request = pf.request
        sendable = len(pf.sendable)
        after = "…" if self.balance is None else f"{self.balance - pf.cost:,}"
        when = p.format_send_time(request.send_time) + " (Beijing)" if request.send_time else t("confirm.now")
        rows = [
            (t("confirm.recipients"), f"{sendable:,}"),
            (t("confirm.held"), f"{len(pf.held):,}"),
            (t("confirm.segments"), str(pf.segments)),
            (t("confirm.cost"), f"{pf.cost:,}"),
            (t("confirm.after"), after),
            (t("confirm.when"), when),
        ]
        body = Text()
        for label, value in rows:
            body.append(f"{label}: ", style="dim")
            body.append(f"{value}\n", style="bold")
        for held in pf.held[:5]:
            body.append(f"⏸ {held.reason}\n", style="yellow")
        body.rstrip()
        with Vertical(id="dialog"):
            yield Static(t("confirm.title"), classes="title")
            yield Static(body, id="summary")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.send"), id="yes", variant="primary")
                yield Button(t("confirm.cancel"), id="no")

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        """Send."""
        self.dismiss(self.preflight)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Do not send."""
        self.dismiss(None)


class SendProgressScreen(ModalScreen):
    """Progress of a running send (chunks, numbers, rate, time left)."""

    CSS_PATH = "dialogs.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.app.strings("progress.title"), classes="title")
            yield ProgressBar(id="bar", show_eta=False)
            yield Static("", id="progress-text")

    @on(SendProgressed)
    def handle_progress(self, message: SendProgressed) -> None:
        progress = message.progress
        self.query_one("#bar", ProgressBar).update(total=progress.recipients_total, progress=progress.recipients_done)
        eta = "" if progress.eta_seconds is None else f"{progress.eta_seconds:.0f}s"
        self.query_one("#progress-text", Static).update(self.app.strings(
            "progress.text", done=progress.recipients_done, total=progress.recipients_total, rate=progress.rate, eta=eta))


class SendResultScreen(ModalScreen):
    """Task ids, accepted count, refused numbers with reasons, held and unknown parts."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Close", id="result.close")]

    def __init__(self, outcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        t = self.app.strings
        o = self.outcome
        body = Text()
        body.append(t("result.accepted", accepted=o.accepted, total=o.recipients) + "\n",
                    style="bold green" if o.complete else "bold yellow")
        if o.task_ids:
            body.append(f"{t('result.tasks')}: ", style="dim")
            body.append(", ".join(o.task_ids[:6]) + (" …" if len(o.task_ids) > 6 else "") + "\n")
        if o.balance is not None:
            body.append(f"{t('header.balance')}: ", style="dim")
            body.append(f"{o.balance:,}\n")
        for chunk in o.refused:
            body.append(f"{t('result.refused')} ({chunk.count}): {chunk.message}\n", style="red")
        if o.unknown:
            body.append(f"{t('result.unknown')}: {sum(c.count for c in o.unknown)}\n", style="yellow")
        for held in o.held[:8]:
            body.append(f"{t('result.held')}: {held.reason}\n", style="yellow")
        body.rstrip()
        with Vertical(id="dialog"):
            yield Static(t("result.title"), classes="title")
            with VerticalScroll(id="result-body"):
                yield Static(body, id="result")
            with Horizontal(classes="buttons"):
                yield Button(t("result.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to Compose."""
        self.dismiss(None)
