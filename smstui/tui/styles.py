"""Styles of the TUI's text, from the theme's variables (a theme change recolours everything), and a builder."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

ERROR = "$error"
WARNING = "$warning"
SUCCESS = "$success"
INFO = "$accent"
MUTED = "$foreground-muted"  # ($text-muted is "auto 60%", which text styles cannot resolve)
STRONG = "bold"


class Lines:
    """Content built piece by piece: `Lines().add("label: ", MUTED).line("value", STRONG).content()`."""

    def __init__(self) -> None:
        self._parts: list[str | tuple[str, str]] = []

    def add(self, text: str, style: str = "") -> Lines:
        """Some text on the current line."""
        self._parts.append((text, style) if style else text)
        return self

    def line(self, text: str, style: str = "") -> Lines:
        """Some text, then a new line."""
        return self.add(text, style).add("\n")

    def rows(self, rows: list[tuple[str, str]] | list[tuple[str, str, str]], colon: str = ": ") -> Lines:
        """`label: value` lines, labels muted and padded to one width (in cells), values strong (or their style)."""
        width = max(cell_len(row[0] + colon) for row in rows) if rows else 0
        for label, value, *style in rows:
            self.add(f"{label}{colon}" + " " * (width - cell_len(label + colon)), MUTED).line(value, style[0] if style
                                                                                               else STRONG)
        return self

    def __bool__(self) -> bool:
        return bool(self._parts)

    def content(self) -> Content:
        """The content, without a last new line."""
        parts = self._parts[:-1] if self._parts and self._parts[-1] == "\n" else self._parts
        return Content.assemble(*parts)
