"""A question with two answers, for every area: Yes or No, Esc is No, the arrows go from button to button."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from .modal import Dialog


class Ask(Dialog[bool]):
    """A question (send at night, abandon a send, send a GIF as a JPEG, remove a slide): True for Yes."""

    CSS_PATH = "ask.tcss"
    BINDINGS = [Binding("escape", "no", "Cancel", id="ask.cancel"),
                Binding("left", "app.focus_previous", "Previous button", id="ask.left", show=False),
                Binding("right", "app.focus_next", "Next button", id="ask.right", show=False)]

    def __init__(self, title: str, body: str, yes: str, no: str, *, yes_focused: bool = True,
                 risky: bool = False) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no
        self.yes_focused = yes_focused
        self.risky = risky  # Yes does something that cannot be taken back: it is drawn as a warning

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="title")
            with VerticalScroll(id="ask-box"):
                yield Static(self.body, id="ask-body")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="warning" if self.risky else "primary")
                yield Button(self.no, id="no", variant="primary" if self.risky else "default")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#yes" if self.yes_focused else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        """No."""
        self.dismiss(False)
