"""The `smstui` command: the TUI (the default), and the scriptable commands of one registry."""

from __future__ import annotations

import argparse

from .. import __version__
from .registry import Command, commands


def build_parser(registry: list[Command] | None = None) -> argparse.ArgumentParser:
    """The argument parser of the `smstui` command, built from the registry of commands."""
    from .session import add_common

    parser = argparse.ArgumentParser(
        prog="smstui", description="Operate an account on the SMS gateway from a terminal."
    )
    parser.add_argument("--version", action="version", version=f"smstui {__version__}")
    parser.add_argument("--demo", action="store_true", help="run on the built-in gateway simulator")
    parser.add_argument("--profile", help="profile of the config to open")
    parser.add_argument("--config", help="config file (default: $SMSTUI_CONFIG or the platform's config directory)")
    parser.add_argument("--language", choices=["auto", "zh", "en"], help="language of the interface")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in registry if registry is not None else commands():
        child = sub.add_parser(command.name, help=command.help, description=command.description or command.help)
        command.arguments(child)
        if command.needs_service:
            add_common(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    registry = commands()
    args = build_parser(registry).parse_args(argv)
    command = next((c for c in registry if c.name == args.command), None)
    if command is None:
        from .tui import run_tui

        return run_tui(args)
    from .session import run

    return run(command, args)
