"""Compose: recipients, content, live counter and checks, schedule, send with confirmation."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.cells import cell_len
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
from ..messages import (
    PreflightDone,
    SendFailed,
    SendFinished,
    ServiceFailed,
    TemplatesLoaded,
)
from ..widgets.live_text_area import LiveTextArea
from ..widgets.readout import Readout
from ..words import duplicate_text, held_text, invalid_text, problem_text
from .base import AreaScreen
from .dialogs import ConfirmSend, SendProgressScreen, SendResultScreen

RULES_DELAY = 0.4  # seconds after the last keystroke before the rules are checked against the store
SHOWN_INVALID = 20
SHOWN_DUPLICATES = 5


class ComposeScreen(AreaScreen):
    """Write a message to numbers and send it, seeing cost and checks on every keystroke."""

    AREA = "compose"
    CSS_PATH = "compose.tcss"
    # priority: a focused text field must not swallow Alt+S / Alt+N as letters
    BINDINGS = [
        Binding("f9,alt+s", "send", "Send", id="compose.send", key_display="F9", priority=True,
                tooltip="Check, confirm and send"),
        Binding("alt+n", "clear", "New", id="compose.clear", key_display="Alt+N", priority=True,
                tooltip="Empty the message (the numbers stay)"),
        Binding("alt+x", "clear_numbers", "Clear numbers", id="compose.numbers", key_display="Alt+X", priority=True,
                tooltip="Empty the recipients (the message stays)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.numbers = p.parse_mobiles("")
        self.content = analyse_content("", max_length=p.MAX_CONTENT_LENGTH)
        self.templates: list[p.Template] = []
        self.held: list = []
        self.all_held = False
        self.schedule: datetime | None = None
        self.schedule_error = ""
        self.why_not = ""
        self._rules_timer = None
        self._analysed: str | None = None
        self._shown: dict[str, tuple[Text | str, int]] = {}

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="body"):
            with Vertical(id="editor"):
                yield Label(t("compose.recipients"), classes="field")
                yield TextArea(id="recipients", compact=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="numbers")
                yield Label(t("compose.content"), classes="field")
                yield LiveTextArea(id="content", compact=True, soft_wrap=True, on_edit=self.content_edited)
                with Horizontal(id="options"):
                    yield Label(t("compose.schedule"), classes="field")
                    yield Input(placeholder="YYYY-MM-DD HH:MM:SS", id="schedule", compact=True, max_length=19)
                    yield Label(t("compose.extno"), classes="field")
                    yield Input(id="extno", compact=True, max_length=5, restrict=r"[0-9]*")
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
        self.query_one("#recipients", TextArea).focus()
        self.reload()

    def reload(self) -> None:
        """Take the profile's transport and templates; the draft stays as typed."""
        super().reload()
        service = self.app.service
        if service is None:
            return
        self.query_one("#transport", Select).value = service.client.transport
        self.templates = []
        if service.profile.uses_templates:
            self.load_templates()
        self._analyse_content(force=True)
        self.redraw()
        self.check_rules()

    def commands(self):
        """Send and New in the command palette."""
        t = self.app.strings
        return [(t("cmd.send"), t("cmd.send.help"), self.action_send),
                (t("cmd.clear"), t("cmd.clear.help"), self.action_clear),
                (t("cmd.numbers"), t("cmd.numbers.help"), self.action_clear_numbers)]

    @work(exclusive=True, group="templates", exit_on_error=False)
    async def load_templates(self) -> None:
        """Enabled templates, for the live match (the stored ones when the gateway cannot be asked)."""
        service = self.app.service
        if service is None:
            return
        try:
            found = await service.templates()
        except ServiceError:
            found = await service.templates(refresh=False)
        self.post_message(TemplatesLoaded(found))

    @on(TemplatesLoaded)
    def handle_templates(self, message: TemplatesLoaded) -> None:
        self.templates = message.templates
        self._analyse_content(force=True)
        self.redraw()

    # -- input ------------------------------------------------------------------------------------

    @on(TextArea.Changed, "#recipients")
    def handle_recipients_changed(self, event: TextArea.Changed) -> None:
        self.numbers = p.parse_mobiles(event.text_area.text)
        self.redraw()
        self.check_rules()

    def content_edited(self) -> None:
        """A keystroke in the message: count and check in the same frame as the text is drawn."""
        if self.app.live_counter and self._analyse_content():
            self.redraw()
            self.check_rules()

    @on(TextArea.Changed, "#content")
    def handle_content_changed(self) -> None:
        self.content_edited()  # text set as a whole (load, clear, undo): nothing new when the edit was counted

    def _analyse_content(self, force: bool = False) -> bool:
        """Analyse the message if it changed since the last time; whether it did."""
        service = self.app.service
        text = self.query_one("#content", TextArea).text
        if service is None or (text == self._analysed and not force):
            return False
        self._analysed = text
        self.content = analyse_content(text, self.templates, max_length=service.profile.max_content_length,
                                       require_signature=service.profile.require_signature)
        return True

    @on(Input.Changed, "#schedule")
    def handle_schedule_changed(self, event: Input.Changed) -> None:
        t = self.app.strings
        try:
            self.schedule = p.parse_send_time(event.value)
            self.schedule_error = ""
        except ValueError:
            self.schedule, self.schedule_error = None, t("schedule.format", text=event.value.strip())
        service = self.app.service
        if self.schedule is not None and service is not None and self.schedule < service.clock() - timedelta(minutes=1):
            self.schedule_error = t("schedule.past", when=p.format_send_time(self.schedule))
        self.redraw()
        self.check_rules()

    @on(Select.Changed, "#transport")
    def handle_transport_changed(self, event: Select.Changed) -> None:
        self.app.set_transport(str(event.value))

    # -- the view ---------------------------------------------------------------------------------

    def view(self) -> DraftView:
        """The current draft's analysis."""
        return analyse(self.numbers, self.content, self.app.status.balance)

    def redraw(self) -> None:
        """Draw counter, checks and problems from the current analysis."""
        t = self.app.strings
        view = self.view()
        numbers = view.numbers
        if numbers.numbers or numbers.invalid:
            self._show("#numbers", t("compose.numbers", valid=f"{len(numbers.numbers):,}",
                                     invalid=f"{len(numbers.invalid):,}", duplicates=f"{len(numbers.duplicates):,}"))
        else:
            self._show("#numbers", Text(t("compose.no_numbers"), style="dim"))
        self.query_one("#counter", Readout).update(self._counter(view))
        self._show("#signature", self._signature(view.content))
        template = view.content.template
        self._show("#template",
                   t("tpl.match", id=template.template_id) if template else (t("tpl.none") if self.templates else ""))
        self._show("#problems", self._problems(view))
        reason = self._blocker(view)
        self.why_not = t("why.disabled", reason=reason) if reason else ""
        self._show("#why", Text(self.why_not, style="red") if reason else Text(t("why.ready"), style="green"))
        self.query_one("#send", Button).disabled = bool(reason)

    def _blocker(self, view: DraftView) -> str:
        """Why the draft cannot be sent yet, in words (empty when it can)."""
        t = self.app.strings
        if "no_numbers" in view.blockers:
            return t("why.no_numbers")
        if "invalid" in view.blockers:
            return t("why.invalid")
        for problem in view.content.problems:
            if problem.blocking:
                return problem_text(t, problem)
        if self.schedule_error:
            return self.schedule_error
        if self.all_held:
            return t("why.all_held")
        if self._too_expensive(view):
            return t("why.balance")
        return ""

    def _too_expensive(self, view: DraftView) -> bool:
        """Whether a prepaid account's balance (as last seen) is below the cost: the gateway would refuse (1111)."""
        last = self.app.service.last_balance if self.app.service else None
        return (view.balance_after is not None and view.balance_after < 0 and last is not None
                and last.pay_type == "prepaid")

    def _show(self, selector: str, content: Text | str) -> None:
        """Update a Static only when what it shows changes; ask for a new layout only when its height changes."""
        shown = self._shown.get(selector)
        if shown is not None and shown[0] == content:
            return
        widget = self.query_one(selector, Static)
        width = widget.content_region.width
        text = content if isinstance(content, Text) else Text(content)
        lines = len(text.wrap(self.app.console, width)) if width > 0 else -1
        self._shown[selector] = (content, lines)
        widget.update(content, layout=shown is None or lines < 0 or lines != shown[1])

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
        width = max(cell_len(label) for label, _, _ in rows) + 1  # cells, so Chinese labels line up too
        text = Text(no_wrap=True)
        for label, value, style in rows:
            text.append(label + " " * (width - cell_len(label)), style="dim")
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
        else:  # a name of spaces only counts as empty
            length = signature.length if signature.name.strip() else 0
            line = Text(t("sig.bad", name=signature.name, length=length), style="red")
        line.append("\n" + t("sig.rule"), style="dim")
        return line

    def _problems(self, view: DraftView) -> Text:
        t = self.app.strings
        text = Text()
        for problem in view.content.problems:
            if problem.kind.startswith("signature_missing") or problem.kind == "signature_length":
                continue  # the signature line says it
            style = {"error": "red", "warning": "yellow"}.get(problem.severity, "cyan")
            text.append(f"• {problem_text(t, problem)}\n", style=style)
        if self._too_expensive(view):
            text.append(f"• {t('warn.balance', balance=f'{view.balance:,}', cost=f'{view.total:,}')}\n", style="red")
        for entry in view.numbers.invalid[:SHOWN_INVALID]:
            text.append(f"✕ {invalid_text(t, entry)}\n", style="red")
        if len(view.numbers.invalid) > SHOWN_INVALID:
            text.append(f"  … +{len(view.numbers.invalid) - SHOWN_INVALID}\n", style="red")
        for entry in view.numbers.duplicates[:SHOWN_DUPLICATES]:
            text.append(f"= {duplicate_text(t, entry)}\n", style="yellow")
        for held in self.held[:10]:
            text.append(f"‖ {held_text(t, held)}\n", style="yellow")
        if self.schedule is not None and not self.schedule_error:
            text.append(self._schedule_note(self.schedule) + "\n", style="cyan")
        if self.schedule_error:
            text.append(f"✕ {self.schedule_error}\n", style="red")
        text.rstrip()
        return text

    def _schedule_note(self, moment: datetime) -> str:
        t = self.app.strings
        local = moment.astimezone()
        if local.utcoffset() == moment.utcoffset():
            return t("schedule.at", when=p.format_send_time(moment))
        return t("schedule.at_local", when=p.format_send_time(moment), local=f"{local:%Y-%m-%d %H:%M}",
                 zone=local.tzname())

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
        view = self.view()
        if not view.blockers and not self.schedule_error:
            self._rules_timer = self.set_timer(RULES_DELAY, lambda: self.preflight(for_send=False))
        elif self.held or self.all_held:
            self.held, self.all_held = [], False
            self.redraw()

    @work(exclusive=True, group="preflight", exit_on_error=False)
    async def preflight(self, for_send: bool) -> None:
        """Run the service's preflight for the draft."""
        service = self.app.service
        if service is None:
            return
        try:
            found = await service.preflight(self.request())
        except ServiceError as exc:
            if for_send:
                self.post_message(SendFailed(exc))
            return
        self.post_message(PreflightDone(found, for_send))

    @on(PreflightDone)
    def handle_preflight(self, message: PreflightDone) -> None:
        preflight = message.preflight
        self.held = preflight.held
        self.all_held = bool(preflight.held) and not preflight.sendable
        self.redraw()
        if message.for_send:
            self.app.push_screen(ConfirmSend(preflight, self.app.status.balance), self._confirmed)

    # -- sending ----------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Check, then ask for confirmation; nothing goes out without it."""
        if self.why_not and not self.all_held:
            self.notify(self.why_not, severity="warning")
            return
        self.preflight(for_send=True)

    @on(Button.Pressed, "#send")
    def handle_send_pressed(self) -> None:
        self.action_send()

    def _confirmed(self, choice) -> None:
        if choice is None:
            return
        preflight, override_held = choice
        self.app.push_screen(SendProgressScreen())
        self.send(preflight, override_held)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send(self, preflight, override_held: bool) -> None:
        """Journal and send; the result comes back as a message."""
        service = self.app.service
        if service is None:
            self.post_message(SendFailed(ServiceError(self.app.strings("why.switching"))))
            return
        try:
            outcome = await service.send(preflight, override_held=override_held)
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
            whole = outcome.complete and outcome.accepted == outcome.recipients
            self.notify(self.app.strings("notify.sent", accepted=f"{outcome.accepted:,}", total=f"{outcome.recipients:,}",
                                         task=outcome.task_ids[0]), severity="information" if whole else "warning",
                        timeout=5)
        self.app.refresh_balance()
        self.check_rules()

    @on(SendFailed)
    def handle_failure(self, message: SendFailed) -> None:
        if isinstance(self.app.screen, SendProgressScreen):
            self.app.pop_screen()
        self.app.post_message(ServiceFailed(message.error, "send"))  # told the way every failure is

    def action_clear(self) -> None:
        """Start a new message (the numbers stay)."""
        content = self.query_one("#content", TextArea)
        content.text = ""
        content.focus()

    def action_clear_numbers(self) -> None:
        """Empty the recipients (the message stays)."""
        recipients = self.query_one("#recipients", TextArea)
        recipients.text = ""
        recipients.focus()
