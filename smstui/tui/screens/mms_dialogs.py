"""The MMS area's preview of every slide as the phone shows it (its questions are `ask.Ask`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ... import protocol as p
from ..styles import ERROR, MUTED, STRONG, WARNING, Lines
from ..widgets.mms_thumbnail import Thumbnail
from .modal import Dialog

if TYPE_CHECKING:
    from ...service import MmsDraft


class MmsPreview(Dialog[None]):
    """Every slide in order: its picture drawn in half blocks, its text (what GBK cannot carry marked), how long it
    shows; the subject, the size and the MMS balance after sending."""

    CSS_PATH = "mms.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="mms.preview.close"),
                Binding("down,pagedown", "scroll(1)", "Scroll down", id="mms.preview.down", show=False),
                Binding("up,pageup", "scroll(-1)", "Scroll up", id="mms.preview.up", show=False)]
    SMALL = 30  # a terminal fewer rows than this gets smaller thumbnails, so a slide's text shows below them

    def __init__(self, draft: MmsDraft, size: p.MmsSize, balance: str) -> None:
        super().__init__()
        self.draft = draft
        self.package_size = size
        self.balance = balance

    def compose(self) -> ComposeResult:
        t = self.app.strings
        draft = self.draft
        size = self.package_size
        figure = t("mms.meter", used=f"{size.total:,}", limit=f"{size.limit:,}",
                   percent=f"{size.total * 100 // size.limit}")
        rows: list[tuple[str, str, str]] = [(t("mms.subject"), draft.subject or "—", STRONG),
                                             (t("mms.preview.size"), figure, STRONG if size.fits else f"bold {ERROR}")]
        head = Lines().rows(rows, t("colon"))
        head.line(self.balance, MUTED)
        with Vertical(id="dialog", classes="preview"):
            yield Static(t("mms.preview.title"), classes="title")
            with VerticalScroll(id="preview-box"):
                yield Static(head.content(), id="preview-head")
                for number, slide in enumerate(draft.slides, 1):
                    name = f" · {slide.picture.name}" if slide.picture else ""
                    yield Static(Content.styled(t("mms.preview.slide", slide=number, seconds=slide.seconds) + name,
                                                STRONG), classes="preview-slide")
                    if slide.picture is not None:
                        thumb = Thumbnail(classes="preview-thumb")
                        thumb.styles.height = 6 if self.app.size.height < self.SMALL else 10
                        thumb.show(slide.picture.preview())
                        yield thumb
                    yield Static(_text(slide.text_part, t("mms.preview.no_text")), classes="preview-text")
            with Horizontal(classes="buttons"):
                yield Button(t("mms.preview.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#close", Button).focus()

    def action_scroll(self, pages: int) -> None:
        """Scroll the slides by most of a page."""
        box = self.query_one("#preview-box", VerticalScroll)
        box.scroll_relative(y=pages * max(box.size.height - 2, 1), animate=False)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the preview."""
        self.dismiss(None)


def _text(text: str, none: str) -> Content:
    """A slide's text as the phone gets it: characters GBK cannot carry marked."""
    if not text:
        return Content.styled(none, MUTED)
    bad = set(p.content.unencodable(text))
    if not bad:
        return Content(text)
    lines = Lines()
    for character in text:
        lines.add(character, f"bold {WARNING} reverse" if character in bad else "")
    return lines.content()
