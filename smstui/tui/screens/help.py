"""smstui's own help: the keys of every area, the current area first, in the user's language."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from ..areas import AREAS, BY_ID
from ..styles import MUTED, STRONG, Lines
from .modal import Dialog

_NAMES = {"escape": "Esc", "enter": "Enter", "ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "tab": "Tab",
          "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn", "delete": "Del"}


def key_name(key: str) -> str:
    """A key as people write it: `alt+s` → `Alt+S`, `f9` → `F9`, `escape` → `Esc`."""
    return "+".join(_NAMES.get(part, part.upper() if len(part) <= 3 else part.title()) for part in key.split("+"))


def _keys(binding: Binding) -> str:
    """Every key of a binding: `F9 / Alt+S`."""
    return " / ".join(key_name(k.strip()) for k in binding.key.split(","))


class HelpScreen(Dialog[None]):
    """Every key, grouped by area, the current one first; Esc or F1 closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1", "close", "Close", id="help.close")]

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        t = self.app.strings
        body = Lines()
        order = [BY_ID[self.area]] if self.area in BY_ID else []
        order += [a for a in AREAS if a.id != self.area]
        for number, area in enumerate(order):
            heading = t("help.here" if number == 0 and area.id == self.area else "help.area",
                        area=t(f"area.{area.id}"))
            body.line(f"{heading}  ({' / '.join(map(key_name, area.keys))})", STRONG)
            self._describe(body, area.screen_class().BINDINGS, t("help.none"))
            body.line("")
            if number == 0:
                body.line(t("help.everywhere"), STRONG)
                self._describe(body, [b for b in self.app.BINDINGS if isinstance(b, Binding)
                                      and not (b.id or "").startswith("area.")], "")
                body.line(f"  {'F2-F8':<16} {t('help.areas')}")
                body.line("")
                body.line(t("help.sending"), STRONG)
                for key, words in (("Enter", "help.send"), ("Alt+O", "help.include"), ("Esc", "help.stop")):
                    body.line(f"  {key:<16} {t(words)}")
                body.line("")
        with Vertical(id="help"):
            yield Static(t("help.title"), classes="title")
            with VerticalScroll(id="help-body"):
                yield Static(body.content(), id="help-text")
            with Horizontal(classes="buttons"):
                yield Static(t("help.close_hint"), classes="muted")
                yield Button(t("help.close"), id="close", variant="primary")

    def _describe(self, body: Lines, bindings: Sequence[object], empty: str) -> None:
        t = self.app.strings
        shown = [b for b in bindings if isinstance(b, Binding) and b.id]
        for binding in shown:
            words = t(f"bind.{binding.id}")
            tip = t(f"tip.{binding.id}") if binding.tooltip and f"tip.{binding.id}" in t.catalog else ""
            body.add(f"  {_keys(binding):<16} ").add(words, STRONG)
            body.line(f" — {tip}" if tip else "", MUTED)
        if not shown and empty:
            body.line(f"  {empty}", MUTED)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#help-body", VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to the area."""
        self.dismiss(None)
