"""MMS: slides (text, a picture, how long each shows), a subject, numbers; pictures made to fit in threads, a live
size meter per part, a preview drawn in the terminal — sent through the shared send flow, the draft kept on disk."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea

from ... import protocol as p
from ...service import (
    DraftError,
    DraftSlide,
    DraftStore,
    Fitted,
    Held,
    MmsDraft,
    MmsJob,
    Picture,
    PictureError,
    ServiceError,
    read_picture,
)
from ...service.mms_draft import MAX_SECONDS, MAX_SLIDES
from ...words import error_text, held_text, invalid_text, problem_text
from ..palette import PaletteCommand
from ..sending import SendFlow
from ..styles import ERROR, INFO, MUTED, STRONG, SUCCESS, WARNING, Lines
from ..widgets.live_text_area import LiveTextArea
from ..widgets.mms_thumbnail import Thumbnail
from ..widgets.path_input import PICTURE_SUFFIXES, PathInput
from ..widgets.readout import Readout
from .ask import Ask
from .base import AreaScreen
from .mms_dialogs import MmsPreview

WORK_DELAY = 0.4  # seconds after the last change before pictures are fitted again and the draft is checked
SAVE_DELAY = 1.0  # seconds after the last change before the draft is written
SHOWN_INVALID = 10
SHOWN_HELD = 10
LABEL_CELLS = 22  # how much of a slide's text its line in the list shows
log = logging.getLogger("smstui.tui.mms")
SHORT = 30  # a terminal with fewer rows gets less room for the parts and the problems


class MmsScreen(AreaScreen):
    """Prepare an MMS slide by slide, see its size on every keystroke, preview it, and send it."""

    AREA = "mms"
    CSS_PATH = "mms.tcss"
    WATCHES = frozenset({"optouts", "uplinks", "sends"})  # who is held back may have changed
    # priority: a focused text field must not swallow Alt+letters as letters
    BINDINGS = [
        Binding("f9,alt+s", "send", "Send", id="mms.send", key_display="F9", priority=True,
                tooltip="Check, confirm and send"),
        Binding("alt+l", "add_slide", "Slide+", id="mms.add", key_display="Alt+L", priority=True,
                tooltip="Add a slide after this one"),
        Binding("alt+d", "remove_slide", "Remove slide", id="mms.remove", key_display="Alt+D", priority=True,
                show=False, tooltip="Remove this slide"),
        Binding("alt+up", "move(-1)", "Move up", id="mms.up", key_display="Alt+↑", priority=True, show=False,
                tooltip="Show this slide earlier"),
        Binding("alt+down", "move(1)", "Move down", id="mms.down", key_display="Alt+↓", priority=True, show=False,
                tooltip="Show this slide later"),
        Binding("alt+g", "picture", "Picture", id="mms.picture", key_display="Alt+G", priority=True, show=False,
                tooltip="Attach a picture to this slide (type its path; Tab completes)"),
        Binding("alt+u", "remove_picture", "No picture", id="mms.unpicture", key_display="Alt+U", priority=True,
                show=False, tooltip="Take the picture off this slide"),
        Binding("alt+j", "as_jpeg", "As JPEG", id="mms.jpeg", key_display="Alt+J", priority=True, show=False,
                tooltip="Send this slide's GIF or PNG as a JPEG (its first frame), made to fit"),
        Binding("alt+v", "preview", "Preview", id="mms.preview", key_display="Alt+V", priority=True,
                tooltip="Every slide as the phone shows it"),
        Binding("alt+n", "new", "New", id="mms.new", key_display="Alt+N", priority=True,
                tooltip="Start a new MMS (the numbers stay)"),
        Binding("alt+x", "clear_numbers", "Clear numbers", id="mms.numbers", key_display="Alt+X", priority=True,
                show=False, tooltip="Empty the recipients (the MMS stays)"),
    ]

    @dataclass
    class Attached(Message):
        """A picture read for a slide (or why it could not be), and whether it can go as it is."""

        slide: DraftSlide
        picture: Picture | None
        keeps: bool = True
        error: PictureError | None = None
        room: int = 0  # the bytes it could have as it is, beside the other pictures

    @dataclass
    class Refitted(Message):
        """The pictures made to fit (the fit `seq` of the draft as it was), or why they cannot be."""

        seq: int
        slides: list[DraftSlide]
        pictures: list[Picture | None]
        fitted: list[Fitted | None]
        room: int
        error: PictureError | None = None

    @dataclass
    class DraftLoaded(Message):
        """The draft kept on disk (None: none), or why it could not be read."""

        draft: MmsDraft | None
        error: str = ""

    @dataclass
    class DraftSaved(Message):
        """Writing the draft failed (the reason); None when it went well."""

        error: str | None

    @dataclass
    class BalanceLoaded(Message):
        """The MMS balance was asked for (the answer is in the service's balances)."""

    def __init__(self) -> None:
        super().__init__()
        self.draft = MmsDraft()
        self.current = 0
        self.store = DraftStore()
        self.numbers = p.parse_mobiles("")
        self.held: list[Held] = []
        self.all_held = False
        self.schedule: datetime | None = None
        self.schedule_error = ""
        self.seconds_error = ""
        self.check_error: ServiceError | None = None
        self.fit_error: PictureError | None = None
        self.attach_errors: dict[int, PictureError] = {}  # by id of the slide
        self.attaching: set[int] = set()  # ids of slides whose picture is being read
        self.why_not = ""
        self.loaded = False
        self._fit_seq = 0
        self._fitting = False
        self._room_fitted: int | None = None
        self._work_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._save_pending = False
        self._save_seq = self._saved_seq = 0
        self._save_lock = threading.Lock()
        self._shown: dict[str, Content] = {}
        self._labels: list[Content] = []

    # -- layout -----------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Horizontal(id="body"):
            with Vertical(id="editor"):
                yield Label(t("compose.recipients"), classes="field")
                yield TextArea(id="recipients", compact=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="numbers")
                with Horizontal(classes="row"):
                    yield Label(t("mms.subject"), classes="field")
                    yield Input(id="subject", compact=True, max_length=60, placeholder=t("mms.subject.hint"))
                    yield Label(t("compose.extno"), classes="field")
                    yield Input(id="extno", compact=True, max_length=5, restrict=r"[0-9]*")
                yield Label(t("mms.slides"), classes="field")
                yield OptionList(id="slides", compact=True)
                yield Label(id="slide-label", classes="field")
                yield LiveTextArea(id="slide-text", compact=True, soft_wrap=True, on_edit=self.text_edited)
                with Horizontal(classes="row"):
                    yield Label(t("mms.picture"), classes="field")
                    yield PathInput(PICTURE_SUFFIXES, id="picture", compact=True, placeholder=t("mms.picture.hint"))
                    yield Button(t("mms.attach"), id="attach", compact=True)
                with Horizontal(classes="row"):
                    yield Label(t("mms.seconds"), classes="field")
                    yield Input(id="seconds", compact=True, max_length=2, restrict=r"[0-9]*", value="5")
                    yield Label(t("compose.schedule"), classes="field")
                    yield Input(placeholder="YYYY-MM-DD HH:MM:SS", id="schedule", compact=True, max_length=19)
            with Vertical(id="side"):
                yield Readout(id="meter")
                with VerticalScroll(id="parts-box"):
                    yield Readout(id="parts")
                yield Thumbnail(id="thumb")
                with VerticalScroll(id="problems-box"):
                    yield Static(id="problems")
                yield Static(id="balance")
                yield Static(id="why")
                yield Button(t("compose.send"), id="send", variant="primary", compact=True)
        yield SendFlow(id="flow")

    @property
    def limit(self) -> int:
        """The packed size the profile's gateway takes (max_mms_bytes)."""
        service = self.app.service
        return service.mms_limit if service is not None else p.MAX_MMS_BYTES

    def on_mount(self) -> None:
        super().on_mount()
        self.set_class(self.app.size.height < SHORT, "-short")
        self.query_one("#recipients", TextArea).focus()
        self._rebuild_slides()
        self._select(0)
        self._load_draft()
        self.reload()

    def reload(self) -> None:
        """A service opened: ask it for the MMS balance; the draft stays, fitted again if its limit differs."""
        super().reload()
        if self.app.service is not None:
            self._load_balance()
            self._work_soon()
        self.redraw()

    def refresh_data(self) -> None:
        """Opt-outs, replies or sends arrived: who is held back may have changed."""
        self.check_rules()

    def commands(self) -> list[PaletteCommand]:
        """Send, add a slide, preview and start anew in the command palette."""
        return [PaletteCommand("cmd.mms.send", "cmd.mms.send.help", self.action_send, "F9"),
                PaletteCommand("cmd.mms.add", "cmd.mms.add.help", self.action_add_slide, "Alt+L"),
                PaletteCommand("cmd.mms.preview", "cmd.mms.preview.help", self.action_preview, "Alt+V"),
                PaletteCommand("cmd.mms.picture", "cmd.mms.picture.help", self.action_picture, "Alt+G"),
                PaletteCommand("cmd.mms.new", "cmd.mms.new.help", self.action_new, "Alt+N")]

    # -- the draft on disk ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="mms-draft", exit_on_error=False)
    def _load_draft(self) -> None:
        try:
            draft = self.store.load()
        except DraftError as exc:
            self.post_message(self.DraftLoaded(None, exc.message))
            return
        for _, picture in draft.pictures() if draft else ():
            picture.preview()
        self.post_message(self.DraftLoaded(draft))

    @on(DraftLoaded)
    def handle_draft_loaded(self, message: DraftLoaded) -> None:
        self.loaded = True
        if message.error:
            self.notify(self.app.strings("mms.draft.broken", reason=message.error), severity="warning", timeout=12)
        if message.draft is None:
            return
        self.draft = message.draft
        self.query_one("#subject", Input).value = self.draft.subject
        self.query_one("#recipients", TextArea).text = self.draft.recipients
        self._rebuild_slides()
        self._select(0)
        self._room_fitted = self.draft.room(self.limit) if self.draft.fitted else None
        self.changed(save=False)

    def _save_soon(self) -> None:
        if not self.loaded:
            return
        self._save_pending = True
        if self._save_timer is None:
            self._save_timer = self.set_interval(SAVE_DELAY, self._save_due, pause=True)
        self._save_timer.reset()
        self._save_timer.resume()

    def _save_due(self) -> None:
        if self._save_timer is not None:
            self._save_timer.pause()
        self._save_pending = False
        self._save_seq += 1
        self._save(self._save_seq, self.draft.copy())

    @work(thread=True, group="mms-save", exit_on_error=False)
    def _save(self, seq: int, snapshot: MmsDraft) -> None:
        self._write(seq, snapshot)

    def _write(self, seq: int, snapshot: MmsDraft) -> None:
        """Write a snapshot of the draft; one at a time, and never an older one over a newer one."""
        with self._save_lock:
            if seq < self._saved_seq:
                return
            try:
                self.store.save(snapshot)
                self._saved_seq = seq
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.post_message(self.DraftSaved(f"{self.store.directory}: {reason}"))

    def on_unmount(self) -> None:
        """The app is closing: what was typed in the last second is written too."""
        if self._save_pending:
            self._save_seq += 1
            self._write(self._save_seq, self.draft.copy())

    @on(DraftSaved)
    def handle_draft_saved(self, message: DraftSaved) -> None:
        if message.error:
            self.notify(self.app.strings("mms.draft.unsaved", reason=message.error), severity="error", timeout=10)

    # -- input ------------------------------------------------------------------------------------

    @on(TextArea.Changed, "#recipients")
    def handle_recipients_changed(self, event: TextArea.Changed) -> None:
        self.numbers = p.parse_mobiles(event.text_area.text)
        if self.draft.recipients != event.text_area.text:
            self.draft.recipients = event.text_area.text
            self._save_soon()
        self.redraw()
        self.check_rules()

    @on(Input.Changed, "#subject")
    def handle_subject_changed(self, event: Input.Changed) -> None:
        if self.draft.subject != event.value:
            self.draft.subject = event.value
            self.changed(fit=False)

    def text_edited(self) -> None:
        """A keystroke in the slide's text: the meter is drawn in the same frame as the text."""
        text = self.query_one("#slide-text", TextArea).text
        slide = self.slide
        if text != slide.text:
            slide.text = text
            self.changed()

    @on(TextArea.Changed, "#slide-text")
    def handle_text_changed(self) -> None:
        self.text_edited()  # text set as a whole (a slide chosen, undo): nothing new when the edit was counted

    @on(Input.Changed, "#seconds")
    def handle_seconds_changed(self, event: Input.Changed) -> None:
        t = self.app.strings
        value = int(event.value) if event.value.isdigit() else 0
        if 1 <= value <= MAX_SECONDS:
            self.seconds_error = ""
            if self.slide.seconds != value:
                self.slide.seconds = value
                self.changed()
            else:
                self.redraw()
        else:
            self.seconds_error = t("mms.seconds.bad", slide=self.current + 1, max=MAX_SECONDS)
            self.redraw()

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

    @on(OptionList.OptionHighlighted, "#slides")
    def handle_slide_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.current:
            self._select(event.option_index)

    @on(Input.Submitted, "#picture")
    @on(Button.Pressed, "#attach")
    def handle_attach(self) -> None:
        path = self.query_one("#picture", Input).value.strip()
        slide = self.slide
        if not path:
            self.notify(self.app.strings("mms.picture.none"), severity="warning")
            return
        if slide.picture is not None and path == slide.picture.source:
            return
        self.attaching.add(id(slide))
        self.attach_errors.pop(id(slide), None)
        self.redraw()
        self._read_picture(slide, self.current, path, self.draft.copy(), self.limit)

    # -- pictures (threads) -----------------------------------------------------------------------

    @work(thread=True, group="mms-attach", exit_on_error=False)
    def _read_picture(self, slide: DraftSlide, index: int, path: str, snapshot: MmsDraft, limit: int) -> None:
        """Read and prepare a picture; whether a GIF or PNG can go as it is beside the others."""
        try:
            picture = read_picture(path)
            picture.preview()
            room = 0 if picture.as_jpeg else snapshot.room_beside(index, picture, limit)
            keeps = picture.as_jpeg or snapshot.keeps(index, picture, limit)
        except PictureError as exc:
            self.post_message(self.Attached(slide, None, error=exc))
            return
        except Exception as exc:  # a file Pillow trips over in a way of its own: said, logged, never a traceback
            log.exception("reading %s", path)
            self.post_message(self.Attached(slide, None, error=_unexpected(exc, Path(path).name)))
            return
        self.post_message(self.Attached(slide, picture, keeps, room=room))

    @on(Attached)
    def handle_attached(self, message: Attached) -> None:
        slide = message.slide
        self.attaching.discard(id(slide))
        if slide not in self.draft.slides:
            self.redraw()
            return  # the slide was removed meanwhile
        number = self.draft.slides.index(slide) + 1
        t = self.app.strings
        if message.error is not None:
            error = message.error.at(number)
            self.attach_errors[id(slide)] = error
            self.notify(self._picture_error(error), severity="error", timeout=8)
            self.redraw()
            return
        picture = message.picture
        assert picture is not None
        if not message.keeps:
            size = len(picture.original or b"")
            frames = t("mms.offer.frames", frames=picture.frames) if picture.frames > 1 else ""
            body = t("mms.offer.body", slide=number, name=picture.name, size=f"{size:,}",
                     room=f"{message.room:,}", frames=frames)
            self.app.push_screen(Ask(t("mms.offer.title"), body, t("mms.offer.yes"), t("mms.offer.no")),
                                 lambda yes: self._offer_answered(slide, picture, yes))
            self.redraw()
            return
        self._put_picture(slide, picture)

    def _offer_answered(self, slide: DraftSlide, picture: Picture, yes: bool | None) -> None:
        if yes and slide in self.draft.slides:
            picture.as_jpeg = True
            self._put_picture(slide, picture)
        else:
            self.notify(self.app.strings("mms.offer.declined", name=picture.name), timeout=6)

    def _put_picture(self, slide: DraftSlide, picture: Picture) -> None:
        slide.picture = picture
        slide.fitted = None if picture.as_jpeg else picture.kept()
        self._room_fitted = None
        self.changed()
        self._start_fit()

    def _start_fit(self) -> None:
        """Fit the pictures to what the package leaves, in a thread (the latest fit wins)."""
        if not self.draft.pictures():
            self._room_fitted = self.draft.room(self.limit)
            self.fit_error = None
            return
        self._fit_seq += 1
        self._fitting = True
        self._fit(self._fit_seq, list(self.draft.slides), self.draft.copy(), self.limit)

    @work(thread=True, group="mms-fit", exit_on_error=False)
    def _fit(self, seq: int, slides: list[DraftSlide], snapshot: MmsDraft, limit: int) -> None:
        error = None
        try:
            snapshot.refit(limit)
        except PictureError as exc:
            error = exc
        except Exception as exc:
            log.exception("fitting the pictures")
            error = _unexpected(exc, "")
        self.post_message(self.Refitted(seq, slides, [s.picture for s in snapshot.slides],
                                        [s.fitted for s in snapshot.slides], snapshot.room(limit), error))

    @on(Refitted)
    def handle_refitted(self, message: Refitted) -> None:
        if message.seq != self._fit_seq:
            return  # a newer fit is on its way
        self._fitting = False
        self.fit_error = message.error
        if message.error is None:
            for slide, picture, fitted in zip(message.slides, message.pictures, message.fitted, strict=True):
                if slide in self.draft.slides and slide.picture is picture:
                    slide.fitted = fitted
            self._room_fitted = message.room
        self.changed(fit=False)
        if self.draft.room(self.limit) != message.room:
            self._work_soon()  # the texts changed while it fitted

    # -- what changed, and what follows --------------------------------------------------------------

    def changed(self, fit: bool = True, save: bool = True) -> None:
        """The draft changed: redraw now; fit, check and save once typing stops."""
        self._update_label(self.current)
        self.redraw()
        if fit:
            self._work_soon()
        else:
            self.check_rules()
        if save:
            self._save_soon()

    def _work_soon(self) -> None:
        if self._work_timer is None:
            self._work_timer = self.set_interval(WORK_DELAY, self._work_due, pause=True)
        self._work_timer.reset()
        self._work_timer.resume()

    def _work_due(self) -> None:
        if self._work_timer is not None:
            self._work_timer.pause()
        if self.draft.pictures() and (self._room_fitted != self.draft.room(self.limit) or not self.draft.fitted):
            self._start_fit()
        self.check_rules()

    # -- slides -----------------------------------------------------------------------------------

    @property
    def slide(self) -> DraftSlide:
        """The slide being edited."""
        return self.draft.slides[self.current]

    def _label(self, index: int) -> Content:
        slide = self.draft.slides[index]
        first = slide.text_part.strip().splitlines()[0] if slide.text_part.strip() else ""
        first = _pad(first, LABEL_CELLS).rstrip() if cell_len(first) > LABEL_CELLS else first
        seconds = self.app.strings("mms.slide.seconds", seconds=slide.seconds)
        lines = Lines().add(f"{index + 1:>2} ", STRONG).add(f"{seconds} ", MUTED)
        if slide.picture is not None:
            lines.add(f"▣ {slide.picture.name} ", INFO)
        elif id(slide) in self.attaching:
            lines.add("▣ … ", MUTED)
        if id(slide) in self.attach_errors:
            lines.add("✕ ", ERROR)
        return lines.add(first or ("" if slide.picture else self.app.strings("mms.slide.empty")),
                         "" if first else MUTED).content()

    def _rebuild_slides(self) -> None:
        options = self.query_one("#slides", OptionList)
        self._labels = [self._label(i) for i in range(len(self.draft.slides))]
        options.set_options(self._labels)

    def _update_label(self, index: int) -> None:
        if not 0 <= index < len(self._labels):
            return
        label = self._label(index)
        if not label.is_same(self._labels[index]):
            self._labels[index] = label
            self.query_one("#slides", OptionList).replace_option_prompt_at_index(index, label)

    def _select(self, index: int) -> None:
        """Edit another slide: its text, picture and seconds in the fields."""
        index = max(0, min(index, len(self.draft.slides) - 1))
        self.current = index
        slide = self.slide
        options = self.query_one("#slides", OptionList)
        if options.highlighted != index:
            options.highlighted = index
        text = self.query_one("#slide-text", TextArea)
        if text.text != slide.text:
            text.load_text(slide.text)
        self.query_one("#picture", Input).value = slide.picture.source if slide.picture else ""
        self.seconds_error = ""
        self.query_one("#seconds", Input).value = str(slide.seconds)
        t = self.app.strings
        self.query_one("#slide-label", Label).update(t("mms.slide.text", slide=index + 1,
                                                       count=len(self.draft.slides)))
        self.redraw()

    def action_add_slide(self) -> None:
        """A new slide after this one."""
        if len(self.draft.slides) >= MAX_SLIDES:
            self.notify(self.app.strings("mms.slides.full", max=MAX_SLIDES), severity="warning")
            return
        self.draft.slides.insert(self.current + 1, DraftSlide())
        self._structure_changed(self.current + 1)
        self.query_one("#slide-text", TextArea).focus()

    def action_remove_slide(self) -> None:
        """Remove this slide (asks when it has something on it)."""
        slide = self.slide
        if slide.empty:
            self._remove(slide)
            return
        t = self.app.strings
        self.app.push_screen(Ask(t("mms.remove.title", slide=self.current + 1), t("mms.remove.body"),
                                    t("mms.remove.yes"), t("mms.remove.no"), yes_focused=False),
                             lambda yes: self._remove(slide) if yes else None)

    def _remove(self, slide: DraftSlide) -> None:
        if slide not in self.draft.slides:
            return
        index = self.draft.slides.index(slide)
        self.attach_errors.pop(id(slide), None)
        if len(self.draft.slides) == 1:
            self.draft.slides[0] = DraftSlide()
        else:
            del self.draft.slides[index]
        self._structure_changed(min(index, len(self.draft.slides) - 1))

    def action_move(self, step: int) -> None:
        """Show this slide earlier (-1) or later (1)."""
        target = self.current + step
        if not 0 <= target < len(self.draft.slides):
            self.app.bell()
            return
        slides = self.draft.slides
        slides[self.current], slides[target] = slides[target], slides[self.current]
        self._structure_changed(target)

    def _structure_changed(self, select: int) -> None:
        self._room_fitted = None if self.draft.pictures() else self._room_fitted
        self._rebuild_slides()
        self._select(select)
        self.changed()

    def action_picture(self) -> None:
        """Type the path of this slide's picture (Tab completes, Enter attaches)."""
        self.query_one("#picture", Input).focus()

    def action_remove_picture(self) -> None:
        """Take the picture off this slide."""
        slide = self.slide
        self.attach_errors.pop(id(slide), None)
        if slide.picture is None:
            self.app.bell()
            return
        slide.picture, slide.fitted = None, None
        self.query_one("#picture", Input).value = ""
        self._room_fitted = None
        self.changed()

    def action_as_jpeg(self) -> None:
        """Send this slide's GIF or PNG as a JPEG of its first frame, made to fit."""
        picture = self.slide.picture
        if picture is None or picture.as_jpeg:
            self.app.bell()
            return
        picture.as_jpeg = True
        self.slide.fitted = None
        self._room_fitted = None
        self.changed()
        self._start_fit()

    def action_preview(self) -> None:
        """Every slide as the phone shows it, with the size and the balance after sending."""
        self.app.push_screen(MmsPreview(self.draft, self.draft.size(self.limit), self._balance_line()))

    def action_new(self) -> None:
        """Start a new MMS: slides and subject emptied (the numbers stay); asks first."""
        t = self.app.strings
        self.app.push_screen(Ask(t("mms.new.title"), t("mms.new.body"), t("mms.new.yes"), t("mms.remove.no"),
                                    yes_focused=False), self._new_answered)

    def _new_answered(self, yes: bool | None) -> None:
        if not yes:
            return
        self.draft = MmsDraft(recipients=self.draft.recipients)
        self.attach_errors.clear()
        self.fit_error = None
        for field in ("#subject", "#schedule", "#extno"):
            self.query_one(field, Input).value = ""
        self._room_fitted = None
        self._rebuild_slides()
        self._select(0)
        self.changed()
        self.query_one("#subject", Input).focus()

    def action_clear_numbers(self) -> None:
        """Empty the recipients (the MMS stays)."""
        recipients = self.query_one("#recipients", TextArea)
        recipients.text = ""
        recipients.focus()

    # -- the view ---------------------------------------------------------------------------------

    def redraw(self) -> None:
        """Meter, parts, thumbnail, problems, balance and why it cannot send, from the draft as it is."""
        t = self.app.strings
        size = self.draft.size(self.limit)
        self.query_one("#meter", Readout).update(self._meter(size))
        parts = self.query_one("#parts", Readout)
        parts.update(self._parts(size))
        if parts.styles.height is None or parts.styles.height.value != len(size.parts):
            parts.styles.height = len(size.parts)  # a new layout only when the parts come or go
        self._show_current_parts(size)
        picture = self.slide.picture
        self.query_one("#thumb", Thumbnail).show(
            picture.preview() if picture else None,
            Content.styled(t("mms.thumb.none", slide=self.current + 1), MUTED))
        numbers = self.numbers
        if numbers.numbers or numbers.invalid:
            self._show("#numbers", Content(t("compose.numbers", valid=f"{len(numbers.numbers):,}",
                                                   invalid=f"{len(numbers.invalid):,}",
                                                   duplicates=f"{len(numbers.duplicates):,}")))
        else:
            self._show("#numbers", Content.styled(t("compose.no_numbers"), MUTED))
        problems = self.draft.problems(self.limit, size)
        self._show("#problems", self._problems(problems))
        self._show("#balance", Content.styled(self._balance_line(), MUTED))
        reason = self._blocker(problems)
        self.why_not = t("why.disabled", reason=reason) if reason else ""
        self._show("#why", Content.styled(self._two_lines(self.why_not), ERROR) if reason else
                   Content.styled(t("why.ready"), SUCCESS))
        self.query_one("#send", Button).disabled = bool(reason)

    def _two_lines(self, text: str) -> str:
        """At 24 rows, the reason in at most two lines (the rest cut with an ellipsis) so Send stays in view."""
        width = self.query_one("#why", Static).size.width
        if not self.has_class("-short") or not width:
            return text
        lines = Content(text).wrap(width)
        if len(lines) <= 2:
            return text
        first = lines[0].plain.rstrip()
        rest = text[len(first):].lstrip() if text.startswith(first) else text[len(first):]
        return first + "\n" + _pad(rest, width).rstrip()

    def _show_current_parts(self, size: p.MmsSize) -> None:
        """Scroll the parts so the slide being edited has its parts in view."""
        box = self.query_one("#parts-box", VerticalScroll)
        rows = [row for row, part in enumerate(size.parts) if part.slide == self.current + 1]
        height = box.scrollable_content_region.height
        if rows and height and not (box.scroll_y <= rows[0] and rows[-1] < box.scroll_y + height):
            box.scroll_to(y=rows[0], animate=False)

    def on_resize(self) -> None:
        """The meter and the parts are drawn to the width they have; a short terminal scrolls them sooner."""
        self.set_class(self.app.size.height < SHORT, "-short")
        self.call_after_refresh(self.redraw)

    def _show(self, selector: str, content: Content) -> None:
        """Update a Static only when what it shows changes."""
        shown = self._shown.get(selector)
        if shown is not None and shown.is_same(content):
            return
        self._shown[selector] = content
        self.query_one(selector, Static).update(content)

    def _meter(self, size: p.MmsSize) -> Content:
        t = self.app.strings
        width = max(self.query_one("#meter", Readout).size.width, 10)
        busy = self._fitting or bool(self.attaching)
        style = ERROR if not size.fits else WARNING if size.near else SUCCESS
        figure = t("mms.meter", used=f"{size.total:,}", limit=f"{size.limit:,}",
                   percent=f"{size.total * 100 // size.limit}")
        lines = Lines().add(figure, f"bold {style}")
        if busy:
            lines.add(" " + t("mms.fitting"), INFO)
        filled = min(width, size.total * width // size.limit)
        return lines.add("\n").add("█" * filled, style).add("░" * (width - filled), MUTED).content()

    def _parts(self, size: p.MmsSize) -> Content:
        t = self.app.strings
        cells = max(8, (self.query_one("#parts", Readout).size.width or 32) - 19)  # what each part is
        lines = Lines()
        for part in size.parts:
            here = part.slide == self.current + 1
            what = t("mms.part.smil") if part.kind == "smil" else t("mms.part.text", slide=part.slide)
            if part.kind == "image":
                slide = self.draft.slides[part.slide - 1]
                fitted = slide.fitted
                quality = (t("mms.part.asis") if fitted.quality is None else f"q{fitted.quality}") if fitted else "…"
                what = f"{quality} {slide.picture.name if slide.picture else ''}"
            lines.add("▸" if here else " ", INFO).add(f"{part.name:<9}", STRONG if here else "")
            lines.add(_pad(what, cells), MUTED).line(f"{part.total:>9,}")
        return lines.content()

    def _problems(self, problems: list[p.Problem]) -> Content:
        t = self.app.strings
        lines = Lines()
        pristine = not self.draft.subject and all(slide.empty for slide in self.draft.slides)
        for slide in self.draft.slides:  # what was just attached first: it is what the user looks for
            error = self.attach_errors.get(id(slide))
            if error is not None:
                lines.line(f"✕ {self._picture_error(error)}", ERROR)
        if self.fit_error is not None:
            lines.line(f"✕ {self._picture_error(self.fit_error)}", ERROR)
        for problem in problems if not pristine else ():  # an MMS not begun is not wrong yet
            lines.line(f"• {problem_text(t, problem)}", ERROR if problem.blocking else WARNING)
        if self.seconds_error:
            lines.line(f"✕ {self.seconds_error}", ERROR)
        for entry in self.numbers.invalid[:SHOWN_INVALID]:
            lines.line(f"✕ {invalid_text(t, entry)}", ERROR)
        if len(self.numbers.invalid) > SHOWN_INVALID:
            lines.line(f"  … +{len(self.numbers.invalid) - SHOWN_INVALID}", ERROR)
        for held in self.held[:SHOWN_HELD]:
            lines.line(f"‖ {held_text(t, held)}", WARNING)
        if len(self.held) > SHOWN_HELD:
            lines.line(f"  … +{len(self.held) - SHOWN_HELD}", WARNING)
        if self.schedule is not None and not self.schedule_error:
            lines.line(t("schedule.at", when=p.format_send_time(self.schedule)), INFO)
        if self.schedule_error:
            lines.line(f"✕ {self.schedule_error}", ERROR)
        return lines.content()

    def _picture_error(self, error: PictureError) -> str:
        t = self.app.strings
        words = error.zh if t.language == "zh" else error.message
        where = t("mms.where", slide=error.slide, part=error.part) if error.slide else error.part
        return f"{where}{t('colon')}{words}" if where else words

    def _balance_line(self) -> str:
        t = self.app.strings
        service = self.app.service
        balance = service.balances.mms if service else None
        cost = p.mms_cost(len(self.numbers.numbers))
        if balance is None or balance.points is None:
            return t("mms.balance.unknown", cost=f"{cost:,}")
        after = balance.after(cost)
        return t("mms.balance", balance=f"{balance.points:,}", cost=f"{cost:,}", after=f"{after:,}")

    def _blocker(self, problems: list[p.Problem], checked: bool = True) -> str:
        """Why the MMS cannot be sent yet, in words (empty when it can); `checked`: the last check's findings too."""
        t = self.app.strings
        if not self.numbers.numbers:
            return t("why.no_numbers")
        if self.numbers.invalid:
            return t("why.invalid")
        if self.attaching or self._fitting or not self.draft.fitted:
            return t("mms.why.fitting")
        for problem in problems:
            if problem.blocking:
                return problem_text(t, problem)
        if self.fit_error is not None:
            return self._picture_error(self.fit_error)
        if self.seconds_error:
            return self.seconds_error
        if self.schedule_error:
            return self.schedule_error
        if checked and self.check_error is not None:
            return error_text(t, self.check_error)
        if checked and self.all_held:
            return t("why.all_held")
        service = self.app.service
        balance = service.balances.mms if service else None
        if balance is not None and balance.shortfall(p.mms_cost(len(self.numbers.numbers))):
            return t("mms.why.balance")
        return ""

    # -- checking and sending, through the shared flow ------------------------------------------------

    def job(self) -> MmsJob:
        """The send the draft describes (the package packed now)."""
        return MmsJob(send_time=self.schedule, extno=self.query_one("#extno", Input).value,
                      mobiles=tuple(self.numbers.numbers), subject=self.draft.subject,
                      package=self.draft.package(self.limit))

    def check_rules(self) -> None:
        """Find, shortly after typing stops, who the opt-out list or a send in doubt would hold back."""
        flow = self.query_one(SendFlow)
        if not self._blocker(self.draft.problems(self.limit), checked=False):
            try:
                flow.check(self.job())
                return
            except p.TmsError:
                pass  # said by the problems already
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
        try:
            job = self.job()
        except p.TmsError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one(SendFlow).send(job)

    @on(Button.Pressed, "#send")
    def handle_send_pressed(self) -> None:
        self.action_send()

    @on(SendFlow.Sent)
    def handle_sent(self) -> None:
        self.redraw()  # the MMS balance the gateway said is left
        self.check_rules()

    @work(exclusive=True, group="mms-balance", exit_on_error=False)
    async def _load_balance(self) -> None:
        service = self.app.service
        if service is None:
            return
        try:
            await service.balance(mms=True)
        except ServiceError:
            return  # the line says the balance is not known
        self.post_message(self.BalanceLoaded())

    @on(BalanceLoaded)
    def handle_balance_loaded(self) -> None:
        self.redraw()


def _unexpected(exc: Exception, part: str) -> PictureError:
    """An error no check foresaw, as a PictureError the screen can show (the details are in the log)."""
    return PictureError("unexpected", f"the picture could not be used ({type(exc).__name__}: {exc})",
                        f"无法使用该图片（{type(exc).__name__}：{exc}）", part)


def _pad(text: str, cells: int) -> str:
    """Text cut (with an ellipsis) or padded to a number of terminal cells."""
    used = 0
    for index, character in enumerate(text):
        width = cell_len(character)
        if used + width > cells - 1 and cell_len(text[index:]) > cells - used:
            text, used = text[:index] + "…", used + 1
            break
        used += width
    return text + " " * (cells - used)
