"""Every string the `smstui` command says to people, in English and Chinese, one module per kind of command, merged
with the words it shares with the TUI (`smstui.words`). JSON output never uses them: its keys and values stay
English."""

from __future__ import annotations

from ... import words
from . import account, common, help, lists, recovery, sending, store

CATALOG: words.Catalog = words.merged(words.SHARED, *(module.STRINGS for module in (common, help, sending, account,
                                                                                      lists, recovery, store)))


class Strings(words.Strings):
    """Looks up the CLI's strings in one language."""

    catalog = CATALOG
