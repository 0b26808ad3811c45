"""The `smstui` command: the TUI, the simulator and the scriptable commands."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `smstui` command."""
    parser = argparse.ArgumentParser(prog="smstui", description="Operate an account on the SMS gateway from a terminal.")
    parser.add_argument("--version", action="version", version=f"smstui {__version__}")
    parser.add_argument("--demo", action="store_true", help="run on the built-in gateway simulator (the default without a profile)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    parser.parse_args(argv)
    print(f"smstui {__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
