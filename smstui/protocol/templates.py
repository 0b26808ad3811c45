"""Interface templates (chapter 9): `@` variables, review states, matching a content."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from .content import Problem, validate_content

VARIABLE = "@"
MAX_VARIABLE_RUN = 5
VARIABLE_LENGTH = 20
_RUNS = re.compile(r"@+")


class TemplateStatus(IntEnum):
    """A template's state: 1 enabled, 2 disabled, 3 under review, 4 returned."""

    ENABLED = 1
    DISABLED = 2
    REVIEW = 3
    RETURNED = 4

    @property
    def label(self) -> str:
        """The state in plain words."""
        return {1: "enabled", 2: "disabled", 3: "under review", 4: "returned"}[self.value]


@dataclass(frozen=True, slots=True)
class Template:
    """A template the gateway knows: id, status, text."""

    template_id: str
    status: int
    text: str

    @property
    def enabled(self) -> bool:
        """Whether contents may be sent under this template."""
        return self.status == TemplateStatus.ENABLED


def validate_template(text: str, *, require_signature: bool = True) -> list[Problem]:
    """The problems of a template text: content rules, and at most 5 `@` in a row."""
    problems = [p for p in validate_content(text, require_signature=require_signature) if p.kind != "verification_code"]
    longest = max((len(run) for run in _RUNS.findall(text)), default=0)
    if longest > MAX_VARIABLE_RUN:
        problems.append(
            Problem(
                "template_variable_run",
                f"{longest} @ in a row; at most {MAX_VARIABLE_RUN} are allowed.",
                code=1001,
                params={"run": longest},
                zh=f"连续的@最多允许出现{MAX_VARIABLE_RUN}次",  # the words of chapter 9.1
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class _Shape:
    """A template split for matching: literal pieces, and between each two the longest text its `@` run takes."""

    literals: tuple[str, ...]
    widths: tuple[int, ...]


@lru_cache(maxsize=512)
def template_shape(text: str) -> _Shape:
    """A template's literal pieces and variable widths: a run of k `@` matches 1 to 20·k characters."""
    literals, widths = [], []
    position = 0
    for run in _RUNS.finditer(text):
        literals.append(text[position : run.start()])
        widths.append(VARIABLE_LENGTH * len(run.group()))
        position = run.end()
    literals.append(text[position:])
    return _Shape(tuple(literals), tuple(widths))


def matches(content: str, text: str) -> bool:
    """Whether a content fits a template text (a run of k `@` standing for 1 to 20·k characters)."""
    shape = template_shape(text)
    first, last = shape.literals[0], shape.literals[-1]
    if not content.startswith(first):
        return False
    if not shape.widths:
        return content == first
    # The ends where each literal piece can finish, kept sorted: each piece is looked for only within reach of
    # the previous ends, so the work grows with len(content) × pieces, never exponentially (no backtracking).
    ends = [len(first)]
    for width, literal in zip(shape.widths[:-1], shape.literals[1:-1]):
        ends = _next_ends(content, ends, width, literal)
        if not ends:
            return False
    start = len(content) - len(last)
    return content.endswith(last) and _reachable(ends, start, shape.widths[-1])


def _reachable(ends: list[int], position: int, width: int) -> bool:
    """Whether some end lies 1 to `width` characters before `position`."""
    index = bisect_left(ends, position - width)
    return index < len(ends) and ends[index] < position


def _next_ends(content: str, ends: list[int], width: int, literal: str) -> list[int]:
    found: list[int] = []
    low = ends[0] + 1
    high = min(ends[-1] + width, len(content) - len(literal))
    position = content.find(literal, low, high + len(literal))
    while 0 <= position <= high:
        if _reachable(ends, position, width):
            found.append(position + len(literal))
        position = content.find(literal, position + 1, high + len(literal))
    return found


def match_template(content: str, templates: Iterable[Template]) -> Template | None:
    """The enabled template the content matches (the most specific one), or None."""
    best: Template | None = None
    best_literal = -1
    for template in templates:
        if not template.enabled or not matches(content, template.text):
            continue
        literal = len(template.text) - template.text.count(VARIABLE)
        if literal > best_literal:
            best, best_literal = template, literal
    return best
