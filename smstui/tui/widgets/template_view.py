"""How a template is told on screen: its state as a chip, its variables with their widths, what the rules say about
its text, and where a content departs from it — shared by the Templates area and its dialogs."""

from __future__ import annotations

from textual.content import Content

from ... import protocol as p
from ...protocol.templates import VARIABLE_LENGTH
from ...words import Strings, problem_text
from ..styles import ERROR, INFO, MUTED, STRONG, SUCCESS, WARNING, Lines

CHIP_STYLES = {1: SUCCESS, 2: MUTED, 3: WARNING, 4: ERROR}
CHIP_MARKS = {1: "●", 2: "‖", 3: "○", 4: "✕"}
ORDINALS = 5  # the ordinals the catalog spells out (templates.nth.1 …); beyond, the number is shown
SHOWN_DEPARTURES = 6


def state_word(t: Strings, status: int) -> str:
    """A state in words (its number when the gateway has a new one)."""
    return t.get(f"templates.state.{status}", str(status))


def chip(t: Strings, status: int) -> Content:
    """A state as a short coloured chip: `● enabled`, `◌ under review`, `✕ returned`, `‖ disabled`."""
    mark = CHIP_MARKS.get(status, "?")
    return Content.styled(f"{mark} {state_word(t, status)}", f"{CHIP_STYLES.get(status, '')} bold")


def chip_width(t: Strings) -> int:
    """The cells a column of chips takes in the user's language (the longest, and a space)."""
    return max(chip(t, status).cell_length for status in CHIP_MARKS) + 1


def short(text: str, width: int = 24) -> str:
    """A template's text on one line, cut to a width (in characters)."""
    line = text.replace("\n", "⏎")
    return line if len(line) <= width else line[: width - 1] + "…"


def nth(t: Strings, number: int) -> str:
    """`the second` (`第 2 个`)."""
    return t.get(f"templates.nth.{number}", t("templates.nth", n=number)) if number <= ORDINALS else t(
        "templates.nth", n=number)


def variables_text(t: Strings, text: str) -> str:
    """The variables with their widths: `3 variables (1–20 characters each); the second takes 1–40 characters`."""
    variables = p.template_variables(text)
    if not variables:
        return t("templates.vars.none")
    usual = VARIABLE_LENGTH
    said = t.count("templates.vars", len(variables), most=usual)
    wider = [v for v in variables if v.longest != usual]
    if not wider:
        return said
    if len(variables) == 1:
        return t("templates.vars.one_wide", most=wider[0].longest, run=wider[0].run)
    parts = [t("templates.vars.wide", nth=nth(t, v.number), most=v.longest) for v in wider]
    return said + t("templates.vars.then") + t("templates.vars.join").join(parts)


def filled_text(t: Strings, text: str) -> str:
    """How long a message on the template is: `a message on it has 15–75 characters`."""
    shortest, longest = p.filled_lengths(text)
    if shortest == longest:
        return t("templates.filled.fixed", length=shortest)
    return t("templates.filled", shortest=shortest, longest=longest)


def problem_lines(t: Strings, problems: list[p.Problem], lines: Lines | None = None) -> Lines:
    """Each problem on its line, by severity: `✕` blocks, `!` warns, `·` tells."""
    lines = lines if lines is not None else Lines()
    for problem in problems:
        mark, style = {"error": ("✕", ERROR), "warning": ("!", WARNING)}.get(problem.severity, ("·", INFO))
        lines.line(f"{mark} {problem_text(t, problem)}", style)
    return lines


def detail(t: Strings, template: p.Template, problems: list[p.Problem]) -> Content:
    """Everything about one template: state, id, text, variables, length, what to do, what the rules say."""
    status = int(template.status)
    lines = Lines()
    lines.add(chip(t, status).plain, f"{CHIP_STYLES.get(status, '')} bold").add("  ").line(
        f"{t('templates.id')} {template.template_id}", MUTED)
    lines.line(template.text, STRONG)
    lines.line(variables_text(t, template.text))
    lines.line(filled_text(t, template.text), MUTED)
    if t.has(f"templates.hint.{status}"):
        lines.line(t(f"templates.hint.{status}"), CHIP_STYLES.get(status, ""))
    return problem_lines(t, problems, lines).content()


def departure_text(t: Strings, departure: p.Departure) -> str:
    """One place where a content departs from a template, in words, by character (1 = the first)."""
    at = departure.at + 1
    if departure.kind == "variable_long":
        return t("templates.depart.variable_long", at=at, nth=nth(t, departure.variable), length=departure.length,
                 most=departure.longest)
    if departure.kind == "variable_empty":
        return t("templates.depart.variable_empty", at=at, nth=nth(t, departure.variable))
    return t.get(f"templates.depart.{departure.kind}", departure.kind, at=at, content=_visible(departure.content),
                 template=_visible(departure.template))


def _visible(text: str) -> str:
    return text.replace("\n", "⏎")


def match_lines(t: Strings, content: str, index: p.TemplateIndex) -> Lines:
    """What matching a content says: the enabled template it fits (and what each variable holds), else one it fits
    that is not enabled yet, else the closest enabled one and where the content departs from it."""
    lines = Lines()
    if not content.strip():
        return lines.line(t("templates.match.empty"), MUTED)
    found = index.match(content)
    if found is not None:
        lines.line(t("templates.match.yes", id=found.template_id), SUCCESS).line(found.text, STRONG)
        values = p.compare(content, found).values
        for number, value in enumerate(values, 1):
            lines.add(f"  @{number} ", MUTED).line(value)
        return lines
    other = index.fits_other(content)
    if other is not None:
        lines.line(t("templates.match.other", id=other.template_id, state=state_word(t, int(other.status))), WARNING)
        lines.line(other.text, STRONG)
        return lines
    closest = index.closest(content)
    if closest is None:
        return lines.line(t("templates.match.no_enabled"), ERROR)
    lines.line(t("templates.match.no"), ERROR)
    lines.line(t("templates.match.closest", id=closest.template.template_id), MUTED).line(closest.template.text,
                                                                                          STRONG)
    for departure in closest.departures[:SHOWN_DEPARTURES]:
        lines.line(f"• {departure_text(t, departure)}", WARNING)
    if len(closest.departures) > SHOWN_DEPARTURES:
        lines.line(f"  … +{len(closest.departures) - SHOWN_DEPARTURES}", WARNING)
    return lines
