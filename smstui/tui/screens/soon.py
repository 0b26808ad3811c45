"""Areas whose screens land in later issues: the navigation is final, the body says so."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from .base import AreaScreen


class ComingSoon(AreaScreen):
    """An area not built yet (the CLI already does it)."""

    CSS_PATH = "soon.tcss"

    def __init__(self, area: str) -> None:
        super().__init__()
        self.AREA = area

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Middle(id="soon-body"), Center():
            yield Static(t("soon", area=t(f"area.{self.AREA}")), classes="soon")
            yield Static(t(f"soon.cli.{self.AREA}"), classes="soon muted")
