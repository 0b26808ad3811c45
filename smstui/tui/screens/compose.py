"""Compose: recipients, content, live counter and checks, schedule — sent through the shared send flow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.widgets.text_area import Selection

from ... import protocol as p
from ...service import Held, ServiceError, SmsJob
from ...words import duplicate_text, error_text, held_text, invalid_text, problem_text
from ..draft import ContentView, DraftView, analyse, analyse_content
from ..palette import PaletteCommand
from ..sending import SendFlow
from ..styles import ERROR, INFO, MUTED, STRONG, SUCCESS, WARNING, Lines
from ..widgets.readout import Readout
from ..widgets.template_fill import FillingTextArea
from .base import AreaScreen

SCHEDULE_RECHECK = 10.0  # seconds between looks at whether the schedule has become past
SHOWN_INVALID = 20
SHOWN_DUPLICATES = 5
SHOWN_HELD = 10


class ComposeScreen(AreaScreen):
    """Write a message to numbers and send it, seeing cost and checks on every keystroke."""

    AREA = "compose"
    CSS_PATH = "compose.tcss"
    WATCHES = frozenset({"optouts", "uplinks", "sends", "templates"})  # who is held back, what matches
    # priority: a focused text field must not swallow Alt+S / Alt+N as letters
    BINDINGS = [
        Binding("f9,alt+s", "send", "Send", id="compose.send", key_display="F9", priority=True,
                tooltip="Check, confirm and send"),
        Binding("alt+n", "clear", "New", id="compose.clear", key_display="Alt+N", priority=True,
                tooltip="Empty the message, the schedule and the extno (the numbers stay)"),
        Binding("alt+x", "clear_numbers", "Clear numbers", id="compose.numbers", key_display="Alt+X", priority=True,
                tooltip="Empty the recipients (the message stays)"),
        Binding("tab", "next_variable", "Next @", id="compose.variable", show=False,
                tooltip="Select the next @ of a template to type over"),
    ]

    @dataclass
    class TemplatesLoaded(Message):
        """The account's shared template list has been asked for (the live match reads it on every keystroke)."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers = p.parse_mobiles("")
        self.content = analyse_content("", max_length=p.MAX_CONTENT_LENGTH)
        self.held: list[Held] = []
        self.all_held = False
        self.schedule: datetime | None = None
        self.schedule_error = ""
        self.check_error: ServiceError | None = None  # what the last check of the draft refused
        self.why_not = ""
        self._analysed: str | None = None
        self._shown: dict[str, tuple[Content, int]] = {}

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="body"):
            with Vertical(id="editor"):
                yield Label(t("compose.recipients"), classes="field")
                yield TextArea(id="recipients", compact=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="numbers")
                yield Label(t("compose.content"), classes="field")
                yield FillingTextArea(id="content", compact=True, soft_wrap=True, on_edit=self.content_edited)
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
        yield SendFlow(id="flow")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#recipients", TextArea).focus()
        self.set_interval(SCHEDULE_RECHECK, self._schedule_still_good)
        self.reload()

    def refresh_data(self) -> None:
        """Opt-outs, replies or sends arrived (who is held back may have changed), or the templates changed."""
        if self._analyse_content(force=True):
            self.redraw()
        self.check_rules()

    def _schedule_still_good(self) -> None:
        """A schedule that was in the future may have become past while the draft waited."""
        if self.schedule is not None and not self.schedule_error:
            self.handle_schedule_changed(Input.Changed(self.query_one("#schedule", Input),
                                                       self.query_one("#schedule", Input).value))

    def reload(self) -> None:
        """Take the profile's transport and templates; the draft stays as typed."""
        super().reload()
        service = self.app.service
        if service is None:
            return
        self.query_one("#transport", Select).value = service.client.transport
        if service.profile.uses_templates:
            from ..widgets import template_news

            template_news.listen(self.app)
            self.load_templates()
        self._analyse_content(force=True)
        self.redraw()
        self.check_rules()

    def commands(self) -> list[PaletteCommand]:
        """Send, New and Clear numbers in the command palette."""
        return [PaletteCommand("cmd.send", "cmd.send.help", self.action_send, "F9"),
                PaletteCommand("cmd.clear", "cmd.clear.help", self.action_clear, "Alt+N"),
                PaletteCommand("cmd.numbers", "cmd.numbers.help", self.action_clear_numbers, "Alt+X")]

    @property
    def templates(self) -> p.TemplateIndex:
        """The account's templates as every area shares them (a template enabled a moment ago counts at once)."""
        service = self.app.service
        return service.template_book.index if service is not None else p.TemplateIndex()

    @work(exclusive=True, group="templates", exit_on_error=False)
    async def load_templates(self) -> None:
        """The shared template list, asked for once (the stored one when the gateway cannot be asked)."""
        service = self.app.service
        if service is None:
            return
        book = service.template_book
        if not book.loaded:
            try:
                await book.refresh()
            except ServiceError:
                await book.stored()
        self.post_message(self.TemplatesLoaded())

    @on(TemplatesLoaded)
    def handle_templates(self) -> None:
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
        if service is not None and (problem := p.check_schedule(self.schedule, service.clock())):
            self.schedule_error = problem_text(t, problem)
        self.redraw()
        self.check_rules()

    @on(Select.Changed, "#transport")
    def handle_transport_changed(self, event: Select.Changed) -> None:
        self.app.set_transport(str(event.value))

    # -- the view ---------------------------------------------------------------------------------

    def view(self) -> DraftView:
        """The current draft's analysis."""
        service = self.app.service
        return analyse(self.numbers, self.content, service.balances.sms if service else None)

    def redraw(self) -> None:
        """Draw counter, checks and problems from the current analysis."""
        t = self.app.strings
        view = self.view()
        numbers = view.numbers
        if numbers.numbers or numbers.invalid:
            self._show("#numbers", Content(t("compose.numbers", valid=f"{len(numbers.numbers):,}",
                                                   invalid=f"{len(numbers.invalid):,}",
                                                   duplicates=f"{len(numbers.duplicates):,}")))
        else:
            self._show("#numbers", Content.styled(t("compose.no_numbers"), MUTED))
        self.query_one("#counter", Readout).update(self._counter(view))
        self._show("#signature", self._signature(view.content))
        template = view.content.template
        uses = self.app.service is not None and self.app.service.profile.uses_templates
        if template is not None:
            self._show("#template", self._one_line(t("tpl.match", text=template.text), SUCCESS))
        elif (pending := view.content.pending) is not None:
            state = t.get(f"templates.state.{int(pending.status)}", "")
            self._show("#template", self._one_line(t("tpl.pending", text=pending.text, state=state), WARNING))
        else:
            self._show("#template", Content(t("tpl.none") if uses or self.templates else ""))
        self._show("#problems", self._problems(view))
        reason = self._blocker(view)
        self.why_not = t("why.disabled", reason=reason) if reason else ""
        self._show("#why", Content.styled(self.why_not, ERROR) if reason else Content.styled(t("why.ready"), SUCCESS))
        self.query_one("#send", Button).disabled = bool(reason)

    def _one_line(self, words: str, style: str) -> Content:
        """The template line of the side panel cut to its width: matching or not, a keystroke never changes its
        height, so it never asks for a new layout (the Templates area shows the whole text)."""
        width = self.query_one("#template", Static).content_region.width
        content = Content.styled(words.replace("\n", " "), style)
        return content.truncate(width, ellipsis=True) if width > 0 else content

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
        if self.check_error is not None:
            return error_text(t, self.check_error)
        if self.all_held:
            return t("why.all_held")
        if view.shortfall:
            return t("why.balance")
        return ""

    def _show(self, selector: str, content: Content) -> None:
        """Update a Static only when what it shows changes; ask for a new layout only when its height changes."""
        shown = self._shown.get(selector)
        if shown is not None and shown[0].is_same(content):
            return
        widget = self.query_one(selector, Static)
        width = widget.content_region.width
        lines = content.get_height({}, width) if width > 0 else -1
        self._shown[selector] = (content, lines)
        widget.update(content, layout=shown is None or lines < 0 or lines != shown[1])

    def _counter(self, view: DraftView) -> Content:
        t = self.app.strings
        content = view.content
        near = content.length >= content.max_length * p.content.NEAR_LIMIT_RATIO
        after = view.balance_after
        rows = [
            (t("counter.length"), f"{content.length}/{content.max_length}", WARNING if near else ""),
            (t("counter.segments"), str(content.segments), ""),
            (t("counter.per"), str(view.cost_each), ""),
            (t("counter.total"), f"{view.total:,}", STRONG),
            (t("counter.after"), "…" if after is None else f"{after:,}", ERROR if (after or 0) < 0 else ""),
        ]
        width = max(cell_len(label) for label, _, _ in rows) + 1  # cells, so Chinese labels line up too
        lines = Lines()
        for label, value, style in rows:
            lines.add(label + " " * (width - cell_len(label)), MUTED).line(value, style)
        return lines.content()

    def _signature(self, content: ContentView) -> Content:
        t = self.app.strings
        signature = content.signature
        lines = Lines()
        if signature is None:
            lines.add(t("sig.missing"), ERROR if content.length else MUTED)
        elif signature.valid:
            lines.add(t("sig.ok", name=signature.name), SUCCESS)
        else:  # a name of spaces only counts as empty
            length = signature.length if signature.name.strip() else 0
            lines.add(t("sig.bad", name=signature.name, length=length), ERROR)
        return lines.add("\n").add(t("sig.rule"), MUTED).content()

    def _problems(self, view: DraftView) -> Content:
        t = self.app.strings
        lines = Lines()
        for problem in view.content.problems:
            if problem.kind.startswith("signature_missing") or problem.kind == "signature_length":
                continue  # the signature line says it
            style = {"error": ERROR, "warning": WARNING}.get(problem.severity, INFO)
            lines.line(f"• {problem_text(t, problem)}", style)
        if view.shortfall and view.balance is not None:
            lines.line(f"• {t('warn.balance', balance=f'{view.balance.points:,}', cost=f'{view.total:,}')}", ERROR)
        for entry in view.numbers.invalid[:SHOWN_INVALID]:
            lines.line(f"✕ {invalid_text(t, entry)}", ERROR)
        if len(view.numbers.invalid) > SHOWN_INVALID:
            lines.line(f"  … +{len(view.numbers.invalid) - SHOWN_INVALID}", ERROR)
        for duplicate in view.numbers.duplicates[:SHOWN_DUPLICATES]:
            lines.line(f"= {duplicate_text(t, duplicate)}", WARNING)
        for held in self.held[:SHOWN_HELD]:
            lines.line(f"‖ {held_text(t, held)}", WARNING)
        if len(self.held) > SHOWN_HELD:
            lines.line(f"  … +{len(self.held) - SHOWN_HELD}", WARNING)
        if self.schedule is not None and not self.schedule_error:
            lines.line(self._schedule_note(self.schedule), INFO)
        if self.schedule_error:
            lines.line(f"✕ {self.schedule_error}", ERROR)
        return lines.content()

    def _schedule_note(self, moment: datetime) -> str:
        t = self.app.strings
        local = moment.astimezone()
        if local.utcoffset() == moment.utcoffset():
            return t("schedule.at", when=p.format_send_time(moment))
        return t("schedule.at_local", when=p.format_send_time(moment), local=f"{local:%Y-%m-%d %H:%M}",
                 zone=local.tzname())

    # -- the sending rules, through the shared flow -------------------------------------------------

    def job(self) -> SmsJob:
        """The send the draft describes."""
        transport = self.query_one("#transport", Select).value
        content = p.normalise_newlines(self.query_one("#content", TextArea).text)
        return SmsJob(send_time=self.schedule, extno=self.query_one("#extno", Input).value,
                      mobiles=tuple(self.numbers.numbers), content=content, transport=str(transport))

    def check_rules(self) -> None:
        """Find, shortly after typing stops, who the rules or the opt-out list would hold back."""
        flow = self.query_one(SendFlow)
        if not self.view().blockers and not self.schedule_error:
            flow.check(self.job())
            return
        flow.check(None)
        if self.held or self.all_held or self.check_error:
            self.held, self.all_held, self.check_error = [], False, None
            self.redraw()

    @on(SendFlow.Checked)
    def handle_checked(self, message: SendFlow.Checked) -> None:
        preflight = message.preflight
        self.check_error = message.error
        self.held = list(preflight.held) if preflight else []
        self.all_held = bool(preflight and preflight.held and not preflight.sendable)
        self.redraw()

    def action_send(self) -> None:
        """Check, then ask for confirmation; nothing goes out without it."""
        if self.why_not and not self.all_held:
            self.notify(self.why_not, severity="warning")
            return
        self.query_one(SendFlow).send(self.job())

    @on(Button.Pressed, "#send")
    def handle_send_pressed(self) -> None:
        self.action_send()

    @on(SendFlow.Sent)
    def handle_sent(self) -> None:
        self.check_rules()  # the result dialog says how it went; who is held back may have changed

    def action_clear(self) -> None:
        """Start a new message: content, schedule and extno emptied (the numbers stay)."""
        for field in ("#schedule", "#extno"):
            self.query_one(field, Input).value = ""
        content = self.query_one("#content", TextArea)
        content.text = ""
        content.focus()

    def prefill(self, numbers: str | None = None, content: str | None = None, select: tuple[int, int] | None = None
                ) -> None:
        """Start from what another area hands over (a reply's number, a template's text): what is given replaces
        the field, the rest stays; `select` (start, end) selects part of the content, e.g. a template's first `@`."""
        if numbers is not None:
            self.query_one("#recipients", TextArea).text = numbers
        if content is not None:
            field = self.query_one("#content", TextArea)
            field.text = content
            field.focus()
            if select is not None:
                field.selection = Selection(_location(content, select[0]), _location(content, select[1]))
        elif numbers is not None:
            self.query_one("#content", TextArea).focus()

    def action_next_variable(self) -> None:
        """In the message, select a template's next `@` to type over (the field itself does, in the order keys
        come); elsewhere, or when none is left, Tab moves on as usual."""
        field = self.query_one("#content", FillingTextArea)
        if self.focused is not field or not field.select_next_variable():
            self.focus_next()

    def action_clear_numbers(self) -> None:
        """Empty the recipients (the message stays)."""
        recipients = self.query_one("#recipients", TextArea)
        recipients.text = ""
        recipients.focus()


def _location(text: str, index: int) -> tuple[int, int]:
    """A character offset as a TextArea location (row, column)."""
    before = text[:index]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)
