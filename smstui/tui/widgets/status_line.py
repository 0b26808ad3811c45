"""The header line: profile, transport, balance, connection state, DEMO."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    """What the header shows."""

    profile: str = ""
    transport: str = ""
    balance: int | None = None
    state: str = "unknown"
    demo: bool = False
    area: str = ""


class StatusLine(Static):
    """One line that always tells where the user is and what the account can do."""

    DEFAULT_CSS = """
    StatusLine { dock: top; height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "status", self.show, init=True)

    def show(self, status: Status) -> None:
        """Draw a status."""
        t = self.app.strings
        balance = "…" if status.balance is None else f"{status.balance:,}"
        state_style = {"ok": "green", "unknown": "yellow"}.get(status.state, "red")
        line = Text()
        line.append(" smstui ", style="bold reverse")
        line.append(f" {status.area} ", style="bold")
        line.append(f"│ {t('header.profile')} {status.profile} │ {status.transport} │ ")
        line.append(f"{t('header.balance')} {balance}", style="bold")
        line.append(" │ ")
        line.append(t(f"conn.{status.state}"), style=state_style)
        if status.demo:
            line.append(" │ ")
            line.append(f" {t('header.demo')} ", style="bold black on yellow")
        self.update(line)
