"""Every string of the TUI in English and Chinese, one module per area, merged into one catalog at import."""

from __future__ import annotations

import locale
import os
from dataclasses import replace
from typing import Any

from . import account, common, compose, findings, help, lists, sending

CATALOG: dict[str, tuple[str, str]] = {}
for _module in (common, compose, findings, sending, account, lists, help):
    _overlap = CATALOG.keys() & _module.STRINGS.keys()
    assert not _overlap, f"strings defined twice: {sorted(_overlap)}"
    CATALOG.update(_module.STRINGS)


def detect_language(setting: str = "auto") -> str:
    """`zh` or `en`: the config's choice, else the locale (LANG, LC_ALL, LC_MESSAGES)."""
    if setting in ("zh", "en"):
        return setting
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    found = locale.getlocale()[0] or ""
    return "zh" if found.lower().startswith("zh") else "en"


class Strings:
    """Looks up catalog strings in one language."""

    catalog = CATALOG

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._index = 1 if language == "zh" else 0

    def __call__(self, key: str, **values: object) -> str:
        """The string for a key, formatted with values."""
        text = CATALOG[key][self._index]
        return text.format(**values) if values else text

    def count(self, key: str, count: int, **values: object) -> str:
        """The string for a number of things: `key.one` when there is one and the catalog has it."""
        one = f"{key}.one"
        return self(one if count == 1 and one in CATALOG else key, count=f"{count:,}", **values)

    def get(self, key: str, default: str, **values: object) -> str:
        """The string for a key when the catalog has it, else `default` (a finder's own English words)."""
        entry = CATALOG.get(key)
        text = entry[self._index] if entry else ""
        if not text:
            return default
        try:
            return text.format(**values)
        except (KeyError, IndexError):
            return default

    def english(self, key: str, **values: object) -> str:
        """The English string for a key (what the palette also matches in Chinese mode)."""
        text = CATALOG[key][0]
        return text.format(**values) if values else text


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
