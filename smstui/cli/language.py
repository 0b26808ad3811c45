"""Which language the `smstui` command speaks to people: --language, else the config's `language`, else the locale."""

from __future__ import annotations

import argparse
import contextlib

from ..words import detect_language

LANGUAGES = ("auto", "zh", "en")


def chosen_language(argv: list[str]) -> str:
    """`zh` or `en` for a command line, decided before it is parsed (so --help speaks it too)."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--language")
    early.add_argument("--config")
    given = argparse.Namespace(language=None, config=None)
    with contextlib.suppress(argparse.ArgumentError, SystemExit):  # the real parser tells what is wrong
        given, _ = early.parse_known_args(argv)
    if given.language in LANGUAGES:
        return detect_language(given.language)
    return detect_language(configured_language(given.config))


def configured_language(path: str | None) -> str:
    """The config's `language` (`auto` when it cannot be read: the command that opens it says why)."""
    from ..service import ServiceError, load_config

    try:
        return load_config(path).language
    except ServiceError:
        return "auto"
