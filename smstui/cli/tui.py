"""`smstui` with no command: the TUI on a profile of the config, or on the built-in simulator."""

from __future__ import annotations

import argparse
import sys

from . import exits
from .output import failure_text
from .strings import Strings


def run_tui(args: argparse.Namespace, t: Strings) -> int:
    """The TUI: on a profile of the config, or on the built-in simulator (`--demo`, or when no profile exists)."""
    from ..runtime.log import setup_logging
    from ..service import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"smstui: {failure_text(t, exc)}", file=sys.stderr)
        return exits.INVALID
    from ..tui import (  # the one place the CLI loads Textual
        DemoLauncher,
        Launcher,
        ProfileLauncher,
        batch_editor_app,
        make_app,
    )

    language = args.language or config.language
    launcher: Launcher
    if args.demo or not config.profiles:
        launcher = DemoLauncher(language=language, announce=not args.demo)
    else:
        launcher = ProfileLauncher(config, args.profile)
    setup_logging()
    if batch_file := getattr(args, "batch_file", ""):  # `smstui batch FILE --edit`: the editor on that file
        app = batch_editor_app(launcher, batch_file, language=language, keymap=config.keys)
    else:
        app = make_app(launcher, language=language, keymap=config.keys)
    app.run()
    return app.return_code or 0
