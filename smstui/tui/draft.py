"""What the compose screen shows for a draft: counts, cost, signature, template — pure, from smstui.protocol."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import protocol as p
from ..service import BalanceView


@dataclass(frozen=True)
class ContentView:
    """The counter for a content: length, segments, problems, signature, template match."""

    length: int
    segments: int
    problems: list[p.Problem]
    signature: p.Signature | None
    template: p.Template | None
    max_length: int
    pending: p.Template | None = None  # no enabled template fits, but this one (under review, returned) does


@dataclass(frozen=True)
class DraftView:
    """The whole draft: numbers and content together, with the cost and what blocks sending."""

    numbers: p.MobileList
    content: ContentView
    balance: BalanceView | None
    blockers: list[str] = field(default_factory=list)

    @property
    def cost_each(self) -> int:
        """Points per recipient."""
        return self.content.segments

    @property
    def total(self) -> int:
        """Points for every valid recipient."""
        return self.content.segments * len(self.numbers.numbers)

    @property
    def balance_after(self) -> int | float | None:
        """The balance once sent (None while unknown)."""
        return None if self.balance is None else self.balance.after(self.total)

    @property
    def shortfall(self) -> int | float | None:
        """Points a prepaid account lacks for the draft (the gateway would refuse it: 1111)."""
        return None if self.balance is None else self.balance.shortfall(self.total)

    @property
    def sendable(self) -> bool:
        """Whether nothing blocks sending."""
        return not self.blockers


def analyse_content(text: str, templates: Iterable[p.Template] | p.TemplateIndex | None = None, *,
                    max_length: int = p.MAX_CONTENT_LENGTH, require_signature: bool = True) -> ContentView:
    """The counter of a content (matched against an account's templates: the shared index, or a list)."""
    length = p.text_length(text)
    problems = p.validate_content(text, max_length=max_length, require_signature=require_signature)
    index = templates if isinstance(templates, p.TemplateIndex) or templates is None else p.TemplateIndex(templates)
    template = index.match(text) if index else None
    pending = index.fits_other(text) if index and template is None and text.strip() else None
    return ContentView(length, p.segments_for_length(length) if text.strip() else 0, problems, p.find_signature(text),
                       template, max_length, pending)


def analyse(numbers: p.MobileList, content: ContentView, balance: BalanceView | None) -> DraftView:
    """The draft view, with every reason sending is not possible yet."""
    blockers = []
    if not numbers.numbers:
        blockers.append("no_numbers")
    if numbers.invalid:
        blockers.append("invalid")
    blockers += [problem.kind for problem in content.problems if problem.blocking]
    return DraftView(numbers, content, balance, blockers)
