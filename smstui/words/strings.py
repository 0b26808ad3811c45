"""Looking words up in one language (English or Chinese), and which language that is."""

from __future__ import annotations

import locale
import os
from typing import ClassVar

Catalog = dict[str, tuple[str, str]]  # key → (English, Chinese); an empty English: the finder's own words


def merged(*catalogs: Catalog) -> Catalog:
    """One catalog of several; a key defined twice is a mistake."""
    whole: Catalog = {}
    for catalog in catalogs:
        overlap = whole.keys() & catalog.keys()
        assert not overlap, f"strings defined twice: {sorted(overlap)}"
        whole.update(catalog)
    return whole


def detect_language(setting: str = "auto") -> str:
    """`zh` or `en`: the setting when it names one, else the locale (LC_ALL, LC_MESSAGES, LANG)."""
    if setting in ("zh", "en"):
        return setting
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    found = locale.getlocale()[0] or ""
    return "zh" if found.lower().startswith("zh") else "en"


class Strings:
    """Looks up catalog strings in one language; each program (the TUI, the CLI) subclasses it with its catalog."""

    catalog: ClassVar[Catalog] = {}

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._index = 1 if language == "zh" else 0

    def __call__(self, key: str, **values: object) -> str:
        """The string for a key, formatted with values."""
        text = self.catalog[key][self._index]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether the catalog has words for a key."""
        return key in self.catalog

    def count(self, key: str, count: int, **values: object) -> str:
        """The string for a number of things: `key.one` when there is one and the catalog has it."""
        one = f"{key}.one"
        return self(one if count == 1 and one in self.catalog else key, count=f"{count:,}", **values)

    def get(self, key: str, default: str, **values: object) -> str:
        """The string for a key when the catalog has it, else `default` (a finder's own English words)."""
        entry = self.catalog.get(key)
        text = entry[self._index] if entry else ""
        if not text:
            return default
        try:
            return text.format(**values)
        except (KeyError, IndexError):
            return default

    def english(self, key: str, **values: object) -> str:
        """The English string for a key (what the palette also matches in Chinese mode)."""
        text = self.catalog[key][0]
        return text.format(**values) if values else text
