"""The argument parser of `smstui`, built from the registry of commands, in the user's language."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from .. import __version__
from .language import LANGUAGES
from .registry import Command, commands
from .strings import Strings

# argparse's own complaints, as the catalog words them (English: argparse's words as they are)
_COMPLAINTS = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "help.required"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "help.unrecognized"),
    (re.compile(r"argument (?P<name>\S+): expected one argument"), "help.expected_one"),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"),
     "help.invalid_choice"),
    (re.compile(r"argument (?P<name>\S+): (?P<why>.+)"), "help.argument"),
]


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with the `usage:` word of the user's language."""

    usage_word = "usage: "

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self.usage_word if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help and errors are framed in the user's language (argparse's own details, such as
    `the following arguments are required`, stay English)."""

    def __init__(self, *args: Any, t: Strings, **kwargs: Any) -> None:
        self.t = t
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = t("help.positionals")
        self._optionals.title = t("help.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("help.help"))

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = _Formatter(prog=self.prog)
        formatter.usage_word = self.t("help.usage")
        return formatter

    def error(self, message: str) -> NoReturn:
        """Usage and what is wrong, to stderr; exit status 2."""
        if self.t.language != "en":
            for pattern, key in _COMPLAINTS:
                if found := pattern.fullmatch(message):
                    message = self.t(key, **found.groupdict())
                    break
        self.print_usage(sys.stderr)
        self.exit(2, self.t("help.error", prog=self.prog, message=message) + "\n")


def build_parser(t: Strings, registry: list[Command] | None = None) -> Parser:
    """The argument parser of the `smstui` command, built from the registry of commands."""
    from .session import add_common

    parser = Parser(prog="smstui", description=t("help.about"), t=t)
    parser.add_argument("--version", action="version", version=f"smstui {__version__}", help=t("help.version"))
    parser.add_argument("--demo", action="store_true", help=t("help.demo"))
    parser.add_argument("--profile", help=t("help.open_profile"))
    parser.add_argument("--config", help=t("help.config"))
    parser.add_argument("--language", choices=LANGUAGES, help=t("help.language"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in registry if registry is not None else commands():
        words = t(f"command.{command.name}")
        child = sub.add_parser(command.name, help=words, description=words, t=t)
        command.arguments(child, t)
        if command.needs_service:
            add_common(child, t)
        # SUPPRESS: an option given before the command (`smstui --language zh send`) is not reset by the command's.
        child.add_argument("--language", choices=LANGUAGES, default=argparse.SUPPRESS,
                           help=t("help.language"))
    return parser
