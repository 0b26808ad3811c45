"""The header line: DEMO, connection state, profile, transport, balance — most important first."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    """What the header and the area bar show."""

    profile: str = ""
    transport: str = ""
    balance: int | None = None
    state: str = "unknown"
    demo: bool = False
    area: str = ""


class StatusLine(Static):
    """One line that always tells which account this is, whether it answers, and what it has left."""

    def on_mount(self) -> None:
        self.watch(self.app, "status", self.show, init=True)

    def show(self, status: Status) -> None:
        """Draw a status."""
        t = self.app.strings
        balance = "…" if status.balance is None else f"{status.balance:,}"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" smstui ", style="bold reverse")
        if status.demo:
            line.append(f" {t('header.demo')} ", style="bold black on yellow")
        line.append(" ")
        line.append(t(f"conn.{status.state}"), style={"ok": "green", "unknown": "yellow"}.get(status.state, "bold red"))
        line.append(f" │ {t('header.balance')} ")
        line.append(balance, style="bold")
        line.append(f" │ {t('header.profile')} {status.profile} │ {status.transport}")
        self.update(line)
