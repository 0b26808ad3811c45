"""The header line: DEMO, connection state, profile, transport, balance — most important first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..styles import ERROR, INFO, STRONG, SUCCESS, WARNING

if TYPE_CHECKING:
    from ..app import SmsApp


@dataclass(frozen=True)
class Status:
    """What the header and the area bar show."""

    profile: str = ""
    transport: str = ""
    balance: int | float | None = None
    state: str = "unknown"
    demo: bool = False
    area: str = ""
    new_reports: int = 0  # arrived while Reports was not on screen
    new_replies: int = 0  # arrived while Inbox was not on screen
    in_doubt: int = 0  # sends whose outcome is unknown: reconcile them (Reports, Alt+E)
    gaps: int = 0  # report or reply queries whose bodies may have been lost


class StatusLine(Static):
    """One line that always tells which account this is, whether it answers, and what it has left."""

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def on_mount(self) -> None:
        self.watch(self.app, "status", self.show, init=True)

    def show(self, status: Status) -> None:
        """Draw a status."""
        t = self.app.strings
        balance = "…" if status.balance is None else f"{status.balance:,}"
        parts: list[str | tuple[str, str]] = [(" smstui ", "bold reverse")]
        if status.demo:
            parts.append((f" {t('header.demo')} ", f"bold $background on {WARNING}"))
        state_style = {"ok": SUCCESS, "unknown": WARNING}.get(status.state, f"bold {ERROR}")
        parts += [" ", (t(f"conn.{status.state}"), state_style)]
        if status.in_doubt or status.gaps:  # before what is there every day: at 80 columns the end is cut off
            parts += [" │ ", (t("header.recovery", doubt=status.in_doubt, gaps=status.gaps), f"bold {WARNING}")]
        parts += [f" │ {t('header.balance')} ", (balance, STRONG), f" │ {t('header.profile')} {status.profile} │ "
                  f"{status.transport}"]
        if status.new_reports:
            parts += [" │ ", (t.count("header.new_reports", status.new_reports), INFO)]
        if status.new_replies:
            parts += [" │ ", (t.count("header.new_replies", status.new_replies), INFO)]
        self.update(Content.assemble(*parts))
