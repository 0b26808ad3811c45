"""Every string of the TUI in English and Chinese, one module per area, merged with the shared words at import."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ... import words
from . import account, batch, common, compose, desk, help, lists, mms, sending, templates

CATALOG: words.Catalog = words.merged(words.SHARED, *(module.STRINGS for module in (
    common, compose, sending, account, lists, help, batch, mms, templates, desk)))


class Strings(words.Strings):
    """Looks up the TUI's strings in one language."""

    catalog = CATALOG


def localise_bindings(node: Any, strings: Strings) -> None:
    """Show a node's binding descriptions (footer, palette, help) in the chosen language, by binding id.

    This rewrites Textual's private `_bindings.key_to_bindings`; Textual is pinned exactly (pyproject.toml), and a
    Textual upgrade must check this still holds (tests/tui/test_strings.py renders a localised footer).
    """

    def localised(binding: Any) -> Any:
        if not binding.id:
            return binding
        changes = {}
        if f"bind.{binding.id}" in CATALOG:
            changes["description"] = strings(f"bind.{binding.id}")
        if f"tip.{binding.id}" in CATALOG:
            changes["tooltip"] = strings(f"tip.{binding.id}")
        return replace(binding, **changes) if changes else binding

    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [localised(b) for b in bindings]


# Textual's own bindings that the footer shows (their action → the string key of their words).
TEXTUAL_BINDINGS = {"dismiss": "bind.textual.dismiss", "select": "bind.textual.select"}


def localised_bindings(bindings: dict[str, Any], strings: Strings) -> dict[str, Any]:
    """Active bindings with Textual's own descriptions in the chosen language (by action)."""
    if strings.language == "en":
        return bindings
    out = {}
    for key, active in bindings.items():
        word = TEXTUAL_BINDINGS.get(active.binding.action)
        if word and not active.binding.id:
            active = active._replace(binding=replace(active.binding, description=strings(word)))
        out[key] = active
    return out
