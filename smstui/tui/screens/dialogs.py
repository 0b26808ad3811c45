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
from ..words import held_text, refusal_text


def _rows(rows: list[tuple[str, str]]) -> Text:
    body = Text()
    for label, value in rows:
        body.append(f"{label}: ", style="dim")
        body.append(f"{value}\n", style="bold")
    return body


class ConfirmSend(ModalScreen):
    """Recipients, segments, total cost, balance after, schedule — and the explicit choice to send."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, preflight, balance: int | None) -> None:
        super().__init__()
        self.preflight = preflight
        self.balance = balance

    def compose(self) -> ComposeResult:
        t = self.app.strings
        pf = self.preflight
        request = pf.request
        short = self.balance is not None and self.balance < pf.cost
        after = "…" if self.balance is None else f"{self.balance - pf.cost:,}"
        when = t("confirm.at", when=p.format_send_time(request.send_time)) if request.send_time else t("confirm.now")
        via = request.transport or (self.app.service.client.transport if self.app.service else "")
        body = _rows([
            (t("confirm.recipients"), f"{len(pf.sendable):,}"),
            (t("confirm.held"), f"{len(pf.held):,}"),
            (t("confirm.segments"), str(pf.segments)),
            (t("confirm.cost"), f"{pf.cost:,}"),
        ])
        body.append(f"{t('confirm.after')}: ", style="dim")
        body.append(f"{after}\n", style="bold red" if short else "bold")
        body.append_text(_rows([(t("confirm.when"), when), (t("confirm.via"), via + (f" · extno {request.extno}"
                                                                                      if request.extno else ""))]))
        if short:
            body.append(t("confirm.short") + "\n", style="red")
        for held in pf.held[:5]:
            body.append(f"‖ {held_text(t, held)}\n", style="yellow")
        if len(pf.held) > 5:
            body.append(f"  … +{len(pf.held) - 5}\n", style="yellow")
        body.rstrip()
        with Vertical(id="dialog"):
            yield Static(t("confirm.title"), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(body, id="summary")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.send"), id="yes", variant="primary", disabled=not pf.sendable)
                if pf.held:
                    yield Button(t("confirm.all", count=len(pf.request.numbers())), id="all", variant="warning")
                yield Button(t("confirm.cancel"), id="no")

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)
        short = self.balance is not None and self.balance < self.preflight.cost
        self.query_one("#yes" if self.preflight.sendable and not short else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss((self.preflight, False))

    @on(Button.Pressed, "#all")
    def handle_all(self) -> None:
        self.dismiss((self.preflight, True))

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Do not send."""
        self.dismiss(None)


class SendProgressScreen(ModalScreen):
    """Progress of a running send (numbers, rate, time left); Esc stops it after the requests in flight."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "stop", "Stop", id="progress.stop")]

    def __init__(self) -> None:
        super().__init__()
        self.send_id = ""

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("progress.title"), classes="title")
            yield ProgressBar(id="bar", show_eta=False)
            yield Static(t("progress.starting"), id="progress-text")
            yield Static(t("progress.hint"), classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(t("progress.stop"), id="stop", variant="warning")

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)

    @on(Button.Pressed, "#stop")
    def handle_stop(self) -> None:
        self.action_stop()

    @on(SendProgressed)
    def handle_progress(self, message: SendProgressed) -> None:
        progress = message.progress
        self.send_id = progress.send_id
        self.query_one("#bar", ProgressBar).update(total=progress.recipients_total, progress=progress.recipients_done)
        eta = "" if progress.eta_seconds is None else f"{progress.eta_seconds:.0f}s"
        self.query_one("#progress-text", Static).update(self.app.strings(
            "progress.text", done=progress.recipients_done, total=progress.recipients_total, rate=progress.rate, eta=eta))

    def action_stop(self) -> None:
        """Stop the send after the requests in flight (the rest can be resumed)."""
        if self.send_id and self.app.service is not None:
            self.app.service.cancel(self.send_id)
            self.query_one("#progress-text", Static).update(self.app.strings("progress.stopping"))
            self.query_one("#stop", Button).disabled = True


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
        body.append(t("result.accepted", accepted=f"{o.accepted:,}", total=f"{o.recipients:,}") + "\n",
                    style="bold green" if o.complete and o.accepted == o.recipients else "bold yellow")
        if o.task_ids:
            body.append(f"{t('result.tasks')}: ", style="dim")
            body.append(", ".join(o.task_ids[:6]) + (" …" if len(o.task_ids) > 6 else "") + "\n")
        if o.balance is not None:
            body.append(f"{t('header.balance')}: ", style="dim")
            body.append(f"{o.balance:,}\n")
        for chunk in o.refused:
            body.append(f"{t('result.refused')} ({chunk.count}): {refusal_text(t, chunk.code, chunk.message)}\n", style="red")
        not_accepted = o.recipients - o.accepted - sum(c.count for c in o.refused + o.unknown + o.unsent)
        if not_accepted > 0:
            body.append(t("result.not_accepted", count=not_accepted) + "\n", style="yellow")
        if o.unknown:
            body.append(t("result.unknown", count=sum(c.count for c in o.unknown), send=o.send_id) + "\n",
                        style="yellow")
        if o.unsent:
            body.append(t("result.unsent", count=sum(c.count for c in o.unsent), send=o.send_id) + "\n", style="yellow")
        for held in o.held[:8]:
            body.append(f"{t('result.held')}: {held_text(t, held)}\n", style="yellow")
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
