"""Interface templates (chapter 9): `@` variables, review states, matching a content."""

from __future__ import annotations

import re
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
            )
        )
    return problems


@lru_cache(maxsize=512)
def template_pattern(text: str) -> re.Pattern[str]:
    """A regex for a template: a run of k `@` matches 1 to 20·k characters."""
    pieces = []
    position = 0
    for run in _RUNS.finditer(text):
        pieces.append(re.escape(text[position : run.start()]))
        pieces.append(f".{{1,{VARIABLE_LENGTH * len(run.group())}}}")
        position = run.end()
    pieces.append(re.escape(text[position:]))
    return re.compile("".join(pieces), re.DOTALL)


def match_template(content: str, templates: Iterable[Template]) -> Template | None:
    """The enabled template the content matches (the most specific one), or None."""
    best: Template | None = None
    best_literal = -1
    for template in templates:
        if not template.enabled or not template_pattern(template.text).fullmatch(content):
            continue
        literal = len(template.text) - template.text.count(VARIABLE)
        if literal > best_literal:
            best, best_literal = template, literal
    return best
