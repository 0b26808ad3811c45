"""Interface templates (chapter 9): `@` variables, review states, the rules of a template's text, matching a content
(one template, or an account's many through an index), and where a content departs from its closest template."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from .content import Problem, describe_characters, unencodable, validate_content
from .length import MAX_CONTENT_LENGTH, text_length
from .signature import CLOSE, OPEN, find_signature

VARIABLE = "@"
MAX_VARIABLE_RUN = 5
VARIABLE_LENGTH = 20
GRAM = 3  # the index keys each template by one piece of its fixed text this long
_RUNS = re.compile(r"@+")
_PUNCTUATION = " \t\n，,。.!！?？:：;；、-—~～"


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


@dataclass(frozen=True, slots=True)
class Variable:
    """One variable of a template: a run of `@` (where it stands in the text), taking 1 to 20 characters per `@`."""

    number: int  # 1 = the first
    start: int
    end: int

    @property
    def run(self) -> int:
        """How many `@` stand in a row."""
        return self.end - self.start

    @property
    def longest(self) -> int:
        """The most characters the variable takes."""
        return VARIABLE_LENGTH * self.run


def template_variables(text: str) -> tuple[Variable, ...]:
    """A template's variables in order: each run of `@` is one."""
    return tuple(Variable(number, run.start(), run.end()) for number, run in enumerate(_RUNS.finditer(text), 1))


def filled_lengths(text: str) -> tuple[int, int]:
    """The shortest and the longest message a template allows (each variable filled with 1 to 20·k characters)."""
    variables = template_variables(text)
    fixed = text_length(_RUNS.sub("", text))
    return fixed + len(variables), fixed + sum(v.longest for v in variables)


def validate_template(text: str, *, require_signature: bool = True, max_length: int = MAX_CONTENT_LENGTH,
                      gbk: bool = False) -> list[Problem]:
    """The problems of a template text, most serious first: the content rules, at most 5 `@` in a row, and what
    reviewers return or a send would refuse later: 【】 inside the text, a variable in the signature, only variables,
    too long once filled, characters the GBK transport cannot carry (`gbk`: the profile sends over it)."""
    problems = [p for p in validate_content(text, max_length=max_length, require_signature=require_signature)
                if p.kind != "verification_code"]
    if not text.strip():
        return problems
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
    problems.extend(_review_problems(text, problems, max_length, gbk))
    return sorted(problems, key=lambda problem: _RANK[problem.severity])


_RANK = {"error": 0, "warning": 1, "info": 2}


def _review_problems(text: str, found: list[Problem], max_length: int, gbk: bool) -> list[Problem]:
    """What the gateway accepts in a template but its reviewers return, or a send on it would meet."""
    problems = []
    signature = find_signature(text)
    start, end = (signature.start, signature.end) if signature else (len(text), len(text))
    if signature and VARIABLE in text[start:end]:
        problems.append(Problem("template_variable_in_signature", "A variable (@) stands in the signature: the "
                                "signature is the account's fixed name.", severity="warning"))
    inside = [at for at, character in enumerate(text) if character in (OPEN, CLOSE) and not start <= at < end]
    if inside and not any(p.kind in ("signature_twice", "signature_not_at_end") for p in found):
        problems.append(Problem("template_brackets", f"【 or 】 inside the text (character {inside[0] + 1}) reads as a "
                                "second signature: use other brackets, such as 「」 or ().", severity="warning",
                                params={"at": inside[0] + 1}))
    body = _RUNS.sub("", text[:start] + text[end:])
    if VARIABLE in text and not body.strip(_PUNCTUATION):
        problems.append(Problem("template_only_variables", "The text is nothing but variables: it would let any "
                                "message through, and reviewers return such templates.", severity="warning"))
    longest = filled_lengths(text)[1]
    if text_length(text) <= max_length < longest:
        problems.append(Problem("template_long_when_filled", f"Filled to the full, a message on it has {longest} "
                                f"characters; the gateway accepts at most {max_length}: keep the variables short.",
                                severity="info", params={"longest": longest, "max": max_length}))
    if gbk and (bad := unencodable(text, "gbk")):
        problems.append(Problem("template_gbk", f"The GBK transport cannot carry {describe_characters(bad)}: messages "
                                "on this template must go over xml or json.", severity="warning",
                                params={"characters": describe_characters(bad)}))
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


def _reach(text: str) -> tuple[int, int]:
    """The fewest and the most characters a content that fits a template has."""
    shape = template_shape(text)
    fixed = sum(map(len, shape.literals))
    return fixed + len(shape.widths), fixed + sum(shape.widths)


def _literal_length(text: str) -> int:
    """How much of a template is fixed text (the more, the more specific the template)."""
    return len(text) - text.count(VARIABLE)


def _grams(literals: tuple[str, ...]) -> set[str]:
    """Every piece of `GRAM` characters inside a template's fixed text (never across a variable)."""
    return {piece[i : i + GRAM] for piece in literals for i in range(len(piece) - GRAM + 1)}


class TemplateIndex:
    """An account's templates ready to match a content on every keystroke: each enabled template is keyed by the
    rarest three characters of its fixed text, so a content is tried only against templates whose key it holds
    (a content that fits a template holds all of its fixed text); what it finds is what `match_template` finds."""

    def __init__(self, templates: Iterable[Template] = ()) -> None:
        self.templates = tuple(templates)
        self.enabled = tuple(t for t in self.templates if t.enabled)
        self._literal = [_literal_length(t.text) for t in self.enabled]
        reach = [_reach(t.text) for t in self.enabled]
        self._shortest = min((low for low, _ in reach), default=0)  # no content outside these lengths fits one
        self._longest = max((high for _, high in reach), default=0)
        grams = [_grams(template_shape(t.text).literals) for t in self.enabled]
        counts = Counter(gram for found in grams for gram in found)
        self._by_gram: dict[str, list[int]] = {}
        self._loose: list[int] = []  # templates with no fixed piece of three characters: always tried
        for number, found in enumerate(grams):
            if found:
                self._by_gram.setdefault(min(found, key=lambda g: (counts[g], g)), []).append(number)
            else:
                self._loose.append(number)

    def __len__(self) -> int:
        return len(self.templates)

    def _candidates(self, content: str) -> list[int]:
        """The enabled templates (by position) the content may fit, in the account's order."""
        if not self._shortest <= len(content) <= self._longest:
            return []
        found = set(self._loose)
        if len(content) >= GRAM and self._by_gram:
            grams = {content[i : i + GRAM] for i in range(len(content) - GRAM + 1)}
            for gram in grams & self._by_gram.keys():
                found.update(self._by_gram[gram])
        return sorted(found)

    def match(self, content: str) -> Template | None:
        """The enabled template the content fits (the most specific one), or None."""
        best: Template | None = None
        best_literal = -1
        for number in self._candidates(content):
            literal = self._literal[number]
            if literal > best_literal and matches(content, self.enabled[number].text):
                best, best_literal = self.enabled[number], literal
        return best

    def fits_other(self, content: str) -> Template | None:
        """A template the content fits that is not enabled (under review, returned, disabled), the most specific."""
        others = [t for t in self.templates if not t.enabled and matches(content, t.text)]
        return max(others, key=lambda t: _literal_length(t.text), default=None)

    def closest(self, content: str, tried: int = 6) -> Comparison | None:
        """The enabled template the content is nearest to (fewest characters differ), compared in full; None when
        the account has no enabled template. A quick score of shared fixed text picks the few compared in full."""
        if not self.enabled:
            return None
        scored = sorted(range(len(self.enabled)), key=lambda n: (-_shared(content, self.enabled[n].text), n))
        compared = [compare(content, self.enabled[n]) for n in scored[:tried]]
        return min(compared, key=lambda c: (c.missed, c.extra, -_literal_length(c.template.text)))


def _shared(content: str, text: str) -> int:
    """How much of a template's fixed text a content holds (its first piece at the start, its last at the end, the
    others anywhere): a quick score, not a proof."""
    literals = template_shape(text).literals
    first, last = literals[0], literals[-1]
    score = _common_prefix(content, first) + (_common_prefix(content[::-1], last[::-1]) if len(literals) > 1 else 0)
    return score + sum(len(piece) for piece in literals[1:-1] if piece and piece in content)


def _common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b):
        if x != y:
            break
        size += 1
    return size


def match_template(content: str, templates: Iterable[Template] | TemplateIndex) -> Template | None:
    """The enabled template the content matches (the most specific one), or None."""
    if isinstance(templates, TemplateIndex):
        return templates.match(content)
    best: Template | None = None
    best_literal = -1
    for template in templates:
        if not template.enabled or not matches(content, template.text):
            continue
        literal = _literal_length(template.text)
        if literal > best_literal:
            best, best_literal = template, literal
    return best


# -- where a content departs from a template ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Departure:
    """One place where a content departs from a template: what the content has there, what the template has.

    `kind` is `differs`, `missing` (the content lacks the template's text), `extra` (the content has text the
    template has not), `variable_long` (a variable holds more than it takes) or `variable_empty`."""

    kind: str
    at: int  # the content's character where it begins (0 = the first)
    content: str
    template: str
    variable: int = 0  # the variable it concerns (1 = the first), when it concerns one
    length: int = 0  # what a too-long variable holds
    longest: int = 0  # what that variable takes at most


@dataclass(frozen=True, slots=True)
class Comparison:
    """A content held against one template: how much of the template's fixed text it misses, how many characters
    it has beyond what the template takes, where, and what each variable holds."""

    template: Template
    missed: int  # fixed characters of the template missing or changed in the content
    extra: int  # characters beyond the template (too long a variable, text it has not) and empty variables
    departures: tuple[Departure, ...]
    values: tuple[str, ...]  # what each variable holds in the best alignment ('' when it is empty)

    @property
    def fits(self) -> bool:
        """Whether the content matches the template."""
        return not (self.missed or self.extra)

    @property
    def cost(self) -> int:
        """How many characters differ."""
        return self.missed + self.extra


_Token = tuple[str, int, int, int]  # (the fixed character, or "" for a variable), its width, start, end in the text


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for run in _RUNS.finditer(text):
        tokens += [(character, 1, at, at + 1) for at, character in enumerate(text[position : run.start()], position)]
        tokens.append(("", VARIABLE_LENGTH * len(run.group()), run.start(), run.end()))
        position = run.end()
    tokens += [(character, 1, at, at + 1) for at, character in enumerate(text[position:], position)]
    return tokens


def compare(content: str, template: Template) -> Comparison:
    """Where a content departs from a template, told as people read it: the template's fixed text kept in place as
    far as it can be (each fixed character missing or changed weighs more than all the rest), then the fewest
    characters beyond it (a variable takes 1 to 20·k characters; an empty one counts as one)."""
    tokens = _tokens(template.text)
    size = len(content)
    fixed = size + 1  # a fixed character missed outweighs every extra character the content can have
    table = [list(range(size + 1))]  # table[j][i]: the weight of the first j tokens against content[:i]
    for character, width, _, _ in tokens:
        before = table[-1]
        row = [before[0] + (fixed if character else 1)] * (size + 1)
        if character:
            for i in range(1, size + 1):
                row[i] = min(before[i] + fixed, row[i - 1] + 1,
                             before[i - 1] + (fixed if content[i - 1] != character else 0))
        else:
            window: deque[int] = deque()  # positions of `before` in reach, their weights rising
            for i in range(1, size + 1):
                while window and before[window[-1]] >= before[i - 1]:
                    window.pop()
                window.append(i - 1)
                if window[0] < i - width:
                    window.popleft()
                row[i] = min(before[window[0]], before[i] + 1, row[i - 1] + 1)
        table.append(row)
    steps = _backtrack(content, tokens, table, fixed)
    weight = table[-1][size]
    return Comparison(template, weight // fixed, weight % fixed, _departures(content, template.text, steps),
                      tuple(content[a:b] for kind, a, b, _ in steps if kind in ("variable", "empty")))


_Step = tuple[str, int, int, int]  # (kind, content start, content end, token index)


def _backtrack(content: str, tokens: list[_Token], table: list[list[int]], fixed: int) -> list[_Step]:
    """The steps of the best alignment, in the content's order: same, changed, missing, extra, variable, empty (a
    variable takes as little as it can, so a changed character is told as changed, not as swallowed)."""
    steps: list[_Step] = []
    i, j = len(content), len(tokens)
    while j > 0 or i > 0:
        if j == 0:
            steps.append(("extra", i - 1, i, -1))
            i -= 1
            continue
        character, width, _, _ = tokens[j - 1]
        here, before = table[j][i], table[j - 1]
        if character:
            if i > 0 and before[i - 1] + (fixed if content[i - 1] != character else 0) == here:
                steps.append(("same" if content[i - 1] == character else "changed", i - 1, i, j - 1))
                i, j = i - 1, j - 1
            elif before[i] + fixed == here:
                steps.append(("missing", i, i, j - 1))
                j -= 1
            else:
                steps.append(("extra", i - 1, i, j - 1))
                i -= 1
            continue
        taken = next((k for k in range(1, min(width, i) + 1) if before[i - k] == here), 0)
        if taken:
            steps.append(("variable", i - taken, i, j - 1))
            i, j = i - taken, j - 1
        elif before[i] + 1 == here:
            steps.append(("empty", i, i, j - 1))
            j -= 1
        else:
            steps.append(("extra", i - 1, i, j - 1))
            i -= 1
    steps.reverse()
    return steps


def _departures(content: str, text: str, steps: list[_Step]) -> tuple[Departure, ...]:
    """The alignment's differing steps grouped into places, each told by what it is."""
    tokens = _tokens(text)
    numbers = {n: number for number, n in enumerate((n for n, t in enumerate(tokens) if not t[0]), 1)}
    found: list[Departure] = []
    group: list[_Step] = []

    def close(after: int) -> None:
        if group:
            found.append(_departure(content, text, tokens, numbers, group, steps, after))
            group.clear()

    for index, step in enumerate(steps):
        if step[0] in ("same", "variable"):
            close(index)
        else:
            group.append(step)
    close(len(steps))
    return tuple(found)


def _departure(content: str, text: str, tokens: list[_Token], numbers: dict[int, int], group: list[_Step],
               steps: list[_Step], after: int) -> Departure:
    at = group[0][1]
    seen = content[group[0][1] : group[-1][2]]
    wanted = "".join(text[tokens[n][2] : tokens[n][3]] for kind, _, _, n in group if kind != "extra" and n >= 0)
    kinds = {step[0] for step in group}
    if kinds == {"empty"}:
        n = group[0][3]
        return Departure("variable_empty", at, "", wanted, numbers[n], 0, tokens[n][1])
    if kinds == {"extra"}:
        before = after - len(group) - 1
        beside = [s for s in (steps[before] if before >= 0 else None, steps[after] if after < len(steps) else None)
                  if s is not None and s[0] == "variable" and s[2] - s[1] == tokens[s[3]][1]]
        if beside:
            n = beside[0][3]
            return Departure("variable_long", at, seen, text[tokens[n][2] : tokens[n][3]], numbers[n],
                             tokens[n][1] + len(seen), tokens[n][1])
        return Departure("extra", at, seen, "")
    if kinds == {"missing"} or (kinds <= {"missing", "empty"}):
        return Departure("missing", at, "", wanted)
    return Departure("differs", at, seen, wanted)
