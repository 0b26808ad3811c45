"""Compose: recipients, content, live counter and checks, schedule, send with confirmation."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ... import protocol as p
from ...service import ServiceError
from ...service.sending import SendRequest
from ..draft import ContentView, DraftView, analyse, analyse_content
from ..messages import PreflightDone, SendFailed, SendFinished
from ..widgets.readout import Readout
from .base import AreaScreen
from .dialogs import ConfirmSend, SendProgressScreen, SendResultScreen


RULES_DELAY = 0.4  # seconds after the last keystroke before the rules are checked against the store


class ComposeScreen(AreaScreen):
    """Write a message to numbers and send it, seeing cost and checks on every keystroke."""

    AREA = "compose"
    CSS_PATH = "compose.tcss"
    BINDINGS = [
        Binding("f9,alt+s", "send", "Send", id="compose.send", key_display="F9", tooltip="Check, confirm and send"),
        Binding("alt+c", "clear", "Clear", id="compose.clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.numbers = p.parse_mobiles("")
        self.content = analyse_content("", max_length=p.MAX_CONTENT_LENGTH)
        self.templates: list[p.Template] = []
        self.held: list = []
        self.schedule: datetime | None = None
        self.schedule_error = ""
        self.why_not = ""
        self._rules_timer = None
        self._shown: dict[str, Text | str] = {}

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="body"):
            with Vertical(id="editor"):
                yield Label(t("compose.recipients"), classes="field")
                yield TextArea(id="recipients", compact=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="numbers")
                yield Label(t("compose.content"), classes="field")
                yield TextArea(id="content", compact=True, soft_wrap=True)
                with Horizontal(id="options"):
                    yield Label(t("compose.schedule"), classes="field")
                    yield Input(placeholder="YYYY-MM-DD HH:MM:SS", id="schedule", compact=True, max_length=19)
                    yield Label(t("compose.extno"), classes="field")
                    yield Input(id="extno", compact=True, max_length=5, restrict=r"\d*")
            with Vertical(id="side"):
                yield Readout(id="counter")
                yield Static(id="signature")
                yield Static(id="template")
                with VerticalScroll(id="problems-box"):
                    yield Static(id="problems")
                yield Static(id="why")
                with Horizontal(id="send-row"):
                    yield Select([(x, x) for x in p.TRANSPORTS], id="transport", compact=True, allow_blank=False,
                                 tooltip=t("compose.transport"))
                    yield Button(t("compose.send"), id="send", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        service = self.app.service
        self.query_one("#transport", Select).value = service.client.transport
        self.query_one("#recipients", TextArea).focus()
        if service.profile.uses_templates:
            self.load_templates()
        self.redraw()

    @work(exclusive=True, group="templates", exit_on_error=False)
    async def load_templates(self) -> None:
        """Enabled templates, for the live match."""
        try:
            self.templates = await self.app.service.templates()
        except ServiceError:
            self.templates = await self.app.service.templates(refresh=False)
        self.redraw()

    # -- input ------------------------------------------------------------------------------------

    @on(TextArea.Changed, "#recipients")
    def handle_recipients_changed(self, event: TextArea.Changed) -> None:
        self.numbers = p.parse_mobiles(event.text_area.text)
        self.redraw()
        self.check_rules()

    @on(TextArea.Changed, "#content")
    def handle_content_changed(self, event: TextArea.Changed) -> None:
        if not self.app.live_counter:
            return
        service = self.app.service
        self.content = analyse_content(event.text_area.text, self.templates, max_length=service.profile.max_content_length,
                                       require_signature=service.profile.require_signature)
        self.redraw()
        self.check_rules()

    @on(Input.Changed, "#schedule")
    def handle_schedule_changed(self, event: Input.Changed) -> None:
        try:
            self.schedule = p.parse_send_time(event.value)
            self.schedule_error = ""
        except ValueError as exc:
            self.schedule, self.schedule_error = None, str(exc)
        self.redraw()

    # -- the view ---------------------------------------------------------------------------------

    def view(self) -> DraftView:
        """The current draft's analysis."""
        balance = self.app.status.balance
        return analyse(self.numbers, self.content, balance)

    def redraw(self) -> None:
        """Draw counter, checks and problems from the current analysis."""
        t = self.app.strings
        view = self.view()
        numbers = view.numbers
        if numbers.numbers or numbers.invalid:
            self._show("#numbers", t("compose.numbers", valid=len(numbers.numbers),
                                                         invalid=len(numbers.invalid), duplicates=len(numbers.duplicates)))
        else:
            self._show("#numbers", Text(t("compose.no_numbers"), style="dim"))
        self._show("#counter", self._counter(view))
        self._show("#signature", self._signature(view.content))
        template = view.content.template
        self._show("#template", 
            t("tpl.match", id=template.template_id) if template else (t("tpl.none") if self.templates else ""))
        self._show("#problems", self._problems(view))
        blockers = view.blockers + ([self.schedule_error] if self.schedule_error else [])
        if blockers:
            reason = {"no_numbers": t("why.no_numbers"), "invalid": t("why.invalid")}.get(blockers[0], blockers[0])
            self.why_not = t("why.disabled", reason=reason)
            self._show("#why", Text(self.why_not, style="red"))
        else:
            self.why_not = ""
            self._show("#why", Text(t("why.ready"), style="green"))
        self.query_one("#send", Button).disabled = bool(blockers)

    def _show(self, selector: str, content: Text | str) -> None:
        """Update a Static only when what it shows changes (keeps each keystroke cheap)."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector).update(content)

    def _counter(self, view: DraftView) -> Text:
        t = self.app.strings
        content = view.content
        near = content.length >= content.max_length * p.content.NEAR_LIMIT_RATIO
        rows = [
            (t("counter.length"), f"{content.length}/{content.max_length}", "yellow" if near else ""),
            (t("counter.segments"), str(content.segments), ""),
            (t("counter.per"), str(view.cost_each), ""),
            (t("counter.total"), f"{view.total:,}", "bold"),
            (t("counter.after"), "…" if view.balance_after is None else f"{view.balance_after:,}",
             "red" if (view.balance_after or 0) < 0 else ""),
        ]
        text = Text()
        for label, value, style in rows:
            text.append(f"{label:<14}" if self.app.language == "en" else f"{label}\t", style="dim")
            text.append(f"{value}\n", style=style)
        text.rstrip()
        return text

    def _signature(self, content: ContentView) -> Text:
        t = self.app.strings
        signature = content.signature
        if signature is None:
            line = Text(t("sig.missing"), style="red" if content.length else "dim")
        elif signature.valid:
            line = Text(t("sig.ok", name=signature.name), style="green")
        else:
            line = Text(t("sig.bad", name=signature.name, length=signature.length), style="red")
        line.append("\n" + t("sig.rule"), style="dim")
        return line

    def _problems(self, view: DraftView) -> Text:
        text = Text()
        for problem in view.content.problems:
            if problem.kind.startswith("signature_missing") or problem.kind == "signature_length":
                continue
            style = {"error": "red", "warning": "yellow"}.get(problem.severity, "cyan")
            text.append(f"• {problem.message}\n", style=style)
        for entry in view.numbers.invalid[:20]:
            text.append(f"✕ {entry.message}\n", style="red")
        if len(view.numbers.invalid) > 20:
            text.append(f"  … +{len(view.numbers.invalid) - 20}\n", style="red")
        for entry in view.numbers.duplicates[:5]:
            text.append(f"= {entry.message}\n", style="yellow")
        for held in self.held[:10]:
            text.append(f"⏸ {held.reason}\n", style="yellow")
        if self.schedule is not None:
            text.append(self._schedule_note(self.schedule) + "\n", style="cyan")
        if self.schedule_error:
            text.append(f"✕ {self.schedule_error}\n", style="red")
        text.rstrip()
        return text

    @staticmethod
    def _schedule_note(moment: datetime) -> str:
        local = moment.astimezone()
        note = f"⏱ {p.format_send_time(moment)} Beijing"
        if local.utcoffset() != moment.utcoffset():
            note += f" = {local:%Y-%m-%d %H:%M} {local.tzname()} here"
        return note

    # -- the sending rules, against the local history ---------------------------------------------

    def request(self) -> SendRequest:
        """The send the draft describes."""
        transport = self.query_one("#transport", Select).value
        return SendRequest("sms", tuple(self.numbers.numbers), p.normalise_newlines(self.query_one("#content", TextArea).text),
                           send_time=self.schedule, extno=self.query_one("#extno", Input).value, transport=str(transport))

    def check_rules(self) -> None:
        """Find, shortly after typing stops, who the rules or the opt-out list would hold back."""
        if self._rules_timer is not None:
            self._rules_timer.stop()
        if self.view().sendable:
            self._rules_timer = self.set_timer(RULES_DELAY, lambda: self.preflight(for_send=False))
        elif self.held:
            self.held = []

    @work(exclusive=True, group="preflight", exit_on_error=False)
    async def preflight(self, for_send: bool) -> None:
        """Run the service's preflight for the draft."""
        try:
            found = await self.app.service.preflight(self.request())
        except ServiceError as exc:
            if for_send:
                self.post_message(SendFailed(exc))
            return
        self.post_message(PreflightDone(found, for_send))

    @on(PreflightDone)
    def handle_preflight(self, message: PreflightDone) -> None:
        self.held = message.preflight.held
        self.redraw()
        if message.for_send:
            self.app.push_screen(ConfirmSend(message.preflight, self.app.status.balance), self._confirmed)

    # -- sending ----------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Check, then ask for confirmation; nothing goes out without it."""
        if self.why_not:
            self.notify(self.why_not, severity="warning")
            return
        self.preflight(for_send=True)

    @on(Button.Pressed, "#send")
    def handle_send_pressed(self) -> None:
        self.action_send()

    def _confirmed(self, preflight) -> None:
        if preflight is None:
            return
        self.app.push_screen(SendProgressScreen())
        self.send(preflight)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send(self, preflight) -> None:
        """Journal and send; the result comes back as a message."""
        try:
            outcome = await self.app.service.send(preflight)
        except ServiceError as exc:
            self.post_message(SendFailed(exc))
            return
        self.post_message(SendFinished(outcome))

    @on(SendFinished)
    def handle_finished(self, message: SendFinished) -> None:
        if isinstance(self.app.screen, SendProgressScreen):
            self.app.pop_screen()
        outcome = message.outcome
        self.app.push_screen(SendResultScreen(outcome))
        if outcome.task_ids:
            self.notify(self.app.strings("notify.sent", accepted=outcome.accepted, task=outcome.task_ids[0]), timeout=5)
        self.app.refresh_balance()

    @on(SendFailed)
    def handle_failure(self, message: SendFailed) -> None:
        if isinstance(self.app.screen, SendProgressScreen):
            self.app.pop_screen()
        self.notify(message.error.message, title=message.error.title, severity="error", timeout=10)

    def action_clear(self) -> None:
        """Start a new message."""
        self.query_one("#content", TextArea).text = ""
