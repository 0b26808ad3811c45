"""Every string the TUI asks for exists in both languages; every key binding has its words; no key is defined twice."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from textual.binding import Binding

import smstui.tui
import smstui.words
from smstui.protocol.report_codes import BUCKETS
from smstui.service.sending.planner import OVERRIDABLE
from smstui.service.sending.reconcile import AMBIGUOUS_WHY
from smstui.service.store import GAP_CAUSES
from smstui.service.store.lists import SORTS
from smstui.tui.areas import AREA_IDS
from smstui.tui.strings import CATALOG

TUI = Path(smstui.tui.__file__).parent
WORDS = Path(smstui.words.__file__).parent  # the words the TUI shares with the CLI: looked up in the TUI's catalog too
FINDINGS = ("problem.", "invalid.", "held.")  # English may be empty: the protocol's own words are shown then


def looked_up() -> tuple[set[str], set[str]]:
    """The literal keys and the f-string key prefixes the TUI's code (and the shared words) pass to the catalog."""
    literal, prefixes = set(), set()
    for path in [*TUI.rglob("*.py"), *WORDS.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in ("t", "strings", "get", "english"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
                literal.add(first.value)
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefixes.add(first.values[0].value)
    return literal, prefixes


def test_every_literal_key_exists_in_both_languages():
    literal, _ = looked_up()
    assert literal, "the scan found the lookups"
    missing = sorted(key for key in literal if key not in CATALOG)
    assert missing == []
    for key in literal:
        english, chinese = CATALOG[key]
        assert chinese, f"{key} has no Chinese"
        assert english or key.startswith(FINDINGS), f"{key} has no English"


def test_every_key_family_is_complete():
    _, prefixes = looked_up()
    families = {
        "area.": AREA_IDS, "bind.area.": AREA_IDS, "cmd.go": (), "conn.": ("ok", "unknown", "unreachable",
                                                                          "credentials", "disabled", "error"),
        "confirm.why.": sorted(OVERRIDABLE), "account.limit.": ("reports", "templates"),
        "error.kind.": ("unreachable", "timeout", "broken", "http_path", "http_error", "unreadable", "no_password",
                        "query_error", "reports_lost", "uplinks_lost", "html_page",
                        *(f"{kind}_query" for kind in ("timeout", "broken", "http_error", "unreadable", "html_page"))),
        "reconcile.why.": AMBIGUOUS_WHY, "recovery.kind.": ("reports", "uplinks"),
        "recovery.cause.": tuple(GAP_CAUSES),
        **desk_families(),
        **batch_families(),
        **template_families(),
    }
    for prefix, members in families.items():
        for member in members:
            assert f"{prefix}{member}" in CATALOG, f"{prefix}{member}"
    known = set(families) | {"problem.", "invalid.", "held.", "error.", "tip.", "bind.", "col.",
                             "pay.", "confirm.title", "result.", "reports.", "inbox.", "cmd.", "where."}
    unexplained = {prefix for prefix in prefixes if not any(prefix.startswith(k) for k in known)}
    assert unexplained == set(), "add the new key family to this test"


def template_families() -> dict[str, tuple[str, ...]]:
    """The Templates area's key families: each state, filter, departure, numbered variable and file finding."""
    from smstui.protocol import TemplateStatus
    from smstui.tui.screens.templates import FILTERS
    from smstui.tui.widgets.template_view import ORDINALS

    states = tuple(str(int(status)) for status in TemplateStatus)
    return {"templates.state.": states, "templates.hint.": states, "templates.decided.": (*states, "other", "body"),
            "templates.filter.": FILTERS, "templates.nth.": tuple(str(n) for n in range(1, ORDINALS + 1)),
            "templates.depart.": ("differs", "missing", "extra", "variable_long", "variable_empty"),
            "templates.finding.": ("template_empty", "template_repeated")}


def batch_families() -> dict[str, tuple[str, ...]]:
    """The Batch area's key families: each role, doubt, delimiter, row kind, held rule, result, undo and error."""
    from smstui.service.batch_mapping import ROLES
    from smstui.tui.strings.batch import ROW_KINDS

    return {"batch.role.": ROLES, "batch.kind.": ROW_KINDS, "batch.delimiter.": ("auto", "comma", "tab", "semicolon"),
            "batch.doubt.": ("mobile_ambiguous", "mobile_unnamed", "mobile_absent", "content_ambiguous",
                             "content_absent"), "batch.held.": tuple(sorted(OVERRIDABLE | {"verification", "daily"})),
            "batch.result.": ("accepted", "refused", "unknown", "waiting"),
            "batch.undo.": ("edit", "dropped", "held", "keep", "drop_bad", "add", "delete"),
            "error.kind.batch_": ("folder", "unreadable", "unwritable", "empty", "no_rows", "no_template", "binary",
                                  "delimiter", "one_cell", "not_table", "bom", "encoding", "no_such_encoding",
                                  "not_encoding", "mixed", "no_sheet", "protected", "xls", "no_reader", "workbook"),
            "error.kind.config_must_": ("choice", "bool", "string", "int", "number", "finite", "at_least", "above",
                                        "at_most", "list", "strings", "table"),
            "batch.problem.": (), "batch.finding.": ()}  # these two fall back to the finder's own words


def desk_families() -> dict[str, tuple[str, ...]]:
    """The desk's key families (Reports and Inbox): each view, column, bucket, status and export kind."""
    from smstui.tui.screens.desk_dialogs import COPY_KEYS
    from smstui.tui.screens.inbox import InboxScreen
    from smstui.tui.screens.reports import ReportsScreen

    tabs = (*ReportsScreen.TABS, *InboxScreen.TABS)
    columns = ("created", "send", "numbers", "delivered", "failed", "pending", "doubt", "content", "task", "mobile",
               "status", "time", "code", "meaning", "event", "what", "extno", "bucket", "count", "share", "period",
               "sent", "no_report", "rate", "unread", "last", "source", "since", "reason")
    return {"copy.what.": tuple(COPY_KEYS), "desk.bucket.": (*BUCKETS, *(f"{b}.hint" for b in BUCKETS)),
            "desk.col.": columns, "desk.event.": ("sent", "report", "reply"), "desk.hint.": tabs,
            "desk.sorted.": tuple(SORTS), "desk.source.": ("reply", "manual"),
            "desk.status.": ("delivered", "failed", "pending"), "desk.tab.": tabs, "desk.trend.": ("day", "hour"),
            "export.title.": ("reports", "replies")}


def all_bindings() -> list[Binding]:
    found = []
    for module in pkgutil.walk_packages([str(TUI)], "smstui.tui."):
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if not (isinstance(value, type) and value.__module__ == module.name):
                continue  # classes defined elsewhere (Textual's own) are counted where they are defined, or not at all
            for binding in value.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.append(binding)
    return found


def test_every_binding_has_an_id_and_its_words_in_both_languages():
    bindings = all_bindings()
    assert len(bindings) > 10
    for binding in bindings:
        assert binding.id, f"{binding.key} has no id"
        english, chinese = CATALOG[f"bind.{binding.id}"]
        assert english and chinese
        if binding.tooltip:
            assert f"tip.{binding.id}" in CATALOG, f"tip.{binding.id}"


@pytest.mark.parametrize("area", AREA_IDS)
def test_an_area_has_one_name_everywhere(area):
    assert CATALOG[f"area.{area}"] == CATALOG[f"bind.area.{area}"]
