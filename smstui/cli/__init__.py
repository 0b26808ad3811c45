"""The `smstui` command: the TUI (the default), and the scriptable commands of one registry."""

from __future__ import annotations

import sys

from .language import chosen_language
from .parser import build_parser
from .registry import Command, commands
from .strings import Strings

__all__ = ["Command", "build_parser", "commands", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    t = Strings(chosen_language(argv))
    registry = commands()
    args = build_parser(t, registry).parse_args(argv)
    command = next((c for c in registry if c.name == args.command), None)
    if command is None:
        from .tui import run_tui

        return run_tui(args, t)
    from .session import run

    return run(command, args, t)
