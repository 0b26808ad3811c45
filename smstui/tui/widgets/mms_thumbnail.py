"""A picture drawn with half blocks (▀: the top pixel in the foreground, the bottom one behind): works over SSH and
tmux in any terminal with colours. It draws from the small preview the service made; no image work here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from ...service import Pixels

HALF = "▀"


def scaled(pixels: Pixels, width: int, height: int) -> list[list[tuple[int, int, int]]]:
    """The preview's colours in at most width × height pixels (aspect kept, nearest pixel): rows of colours."""
    if not pixels.width or not pixels.height or width <= 0 or height <= 0:
        return []
    scale = min(width / pixels.width, height / pixels.height)
    w, h = max(1, int(pixels.width * scale)), max(1, int(pixels.height * scale))
    return [[pixels.rows[min(pixels.height - 1, int(y / scale))][min(pixels.width - 1, int(x / scale))]
             for x in range(w)] for y in range(h)]


def half_block_lines(pixels: Pixels, columns: int, rows: int) -> list[list[Segment]]:
    """Terminal lines of the picture within columns × rows cells (two pixels a cell, one above the other)."""
    grid = scaled(pixels, columns, rows * 2)
    lines = []
    for top_row in range(0, len(grid), 2):
        top = grid[top_row]
        bottom = grid[top_row + 1] if top_row + 1 < len(grid) else None
        line = []
        for x, colour in enumerate(top):
            style = Style(color=Color.from_rgb(*colour),
                          bgcolor=Color.from_rgb(*bottom[x]) if bottom is not None else None)
            line.append(Segment(HALF, style))
        lines.append(line)
    return lines


class Thumbnail(Widget):
    """A picture's thumbnail, centred in the widget; a muted word when there is none."""

    DEFAULT_CSS = "Thumbnail { height: 6; width: 1fr; content-align: center middle; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pixels: Pixels | None = None
        self.placeholder = Content("")
        self._lines: list[list[Segment]] = []
        self._drawn_for: tuple[int, int] | None = None

    def show(self, pixels: Pixels | None, placeholder: Content | None = None) -> None:
        """Draw these pixels (None: the placeholder)."""
        if pixels is self.pixels and (placeholder is None or placeholder.is_same(self.placeholder)):
            return
        self.pixels = pixels
        if placeholder is not None:
            self.placeholder = placeholder
        self._drawn_for = None
        self.refresh()

    def render(self) -> Content:
        return self.placeholder

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if self.pixels is None:
            return super().render_line(y)
        if self._drawn_for != (width, height):
            self._lines = half_block_lines(self.pixels, width, height)
            self._drawn_for = (width, height)
        top = (height - len(self._lines)) // 2
        index = y - top
        if not 0 <= index < len(self._lines):
            return Strip.blank(width)
        line = self._lines[index]
        left = (width - len(line)) // 2
        return Strip([Segment(" " * left), *line]).crop_extend(0, width, None)
