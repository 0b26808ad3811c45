"""The desk's filter bar (the grammar of Reports and Inbox) with what is wrong with a filter said in place, and the
line of views one key apart with the path drilled down to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static

from ..styles import INFO, MUTED


class FilterBar(Vertical):
    """A filter line; Enter applies it (the screen reads it and says here what it could not read)."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar > Horizontal { height: 1; }
    FilterBar Label { width: auto; padding: 0 1; color: $text-muted; }
    FilterBar Input { width: 1fr; }
    FilterBar > #filter-error { height: auto; padding: 0 1; color: $text-error; display: none; }
    FilterBar.bad > #filter-error { display: block; }
    """

    @dataclass
    class Applied(Message):
        """Enter in the filter: apply what it says."""

        bar: FilterBar
        text: str

    def __init__(self, label: str, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, id="filter-label")
            yield Input(placeholder=self.placeholder, id="filter", compact=True, select_on_focus=False)
        yield Static(id="filter-error")

    @property
    def input(self) -> Input:
        """The line typed into."""
        return self.query_one("#filter", Input)

    @on(Input.Submitted, "#filter")
    def handle_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Applied(self, event.value))

    def say(self, problem: str) -> None:
        """What is wrong with the filter (empty: nothing)."""
        self.query_one("#filter-error", Static).update(problem)
        self.set_class(bool(problem), "bad")

    def show(self, label: str, placeholder: str, text: str) -> None:
        """Another view's filter: its label, its hint and its text."""
        self.query_one("#filter-label", Label).update(label)
        self.input.placeholder = placeholder
        self.input.value = text
        self.say("")


class ViewTabs(Static):
    """`1 Sends  2 Reports  3 Why it failed  4 Statistics  › send … › task …`: the current view marked, each one a
    click away, the path drilled down to after it."""

    DEFAULT_CSS = """
    ViewTabs { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; background: $boost; }
    """

    def show(self, tabs: Sequence[tuple[str, str, str]], current: str, path: Sequence[str]) -> None:
        """Tabs as (key, view, name), the current view's id, and the crumbs of the path below it."""
        parts: list[str | tuple[str, str]] = []
        for key, view, name in tabs:
            style = f"bold reverse {INFO}" if view == current else ""
            parts.append((f" {key} ", f"{MUTED} @click=screen.tab('{view}')"))
            if view == current or not path:  # drilled down, the other tabs are their keys (the path needs room)
                parts += [(name, f"{style} @click=screen.tab('{view}')".strip()), "  "]
        for crumb in path:
            parts += [("› ", MUTED), crumb, " "]
        self.update(Content.assemble(*parts))
