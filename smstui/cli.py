"""The `smstui` command: the TUI, the simulator and the scriptable commands."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `smstui` command."""
    parser = argparse.ArgumentParser(prog="smstui", description="Operate an account on the SMS gateway from a terminal.")
    parser.add_argument("--version", action="version", version=f"smstui {__version__}")
    parser.add_argument("--demo", action="store_true", help="run on the built-in gateway simulator")
    parser.add_argument("--profile", help="profile of the config to open")
    parser.add_argument("--config", help="config file (default: $SMSTUI_CONFIG or the platform's config directory)")
    parser.add_argument("--language", choices=["auto", "zh", "en"], help="language of the interface")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sim = commands.add_parser("simulator", help="run the gateway simulator as a server")
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sim.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    sim.add_argument("--config", help="simulator TOML config (default: the demo accounts)")
    sim.add_argument("--seed", type=int, help="random seed (overrides the config)")
    sim.add_argument("--frozen", action="store_true", help="freeze the clock (move it with POST /_sim/clock)")
    from .commands import add_commands

    add_commands(commands)
    return parser


def run_simulator(args: argparse.Namespace) -> int:
    """`smstui simulator`: serve the simulator in the foreground."""
    from .simulator import SimConfigError, load_sim_config, run_standalone

    try:
        config = load_sim_config(args.config)
    except SimConfigError as exc:
        print(f"smstui simulator: {exc}", file=sys.stderr)
        return 2
    if args.seed is not None:
        config.seed = args.seed
    if args.frozen:
        config.clock = "frozen"
    try:
        run_standalone(args.host, args.port, config)
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "simulator":
        return run_simulator(args)
    from .commands import COMMANDS, run

    if args.command in COMMANDS:
        return run(args)
    return run_tui(args)


def run_tui(args: argparse.Namespace) -> int:
    """The TUI: on a profile of the config, or on the built-in simulator (`--demo`, or when no profile exists)."""
    from .service import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"smstui: {exc}", file=sys.stderr)
        return 2
    from .tui import DemoLauncher, ProfileLauncher, make_app

    language = args.language or config.language
    if args.demo or not config.profiles:
        if not args.demo:
            print("smstui: no profile configured; starting the demo (see config.example.toml)", file=sys.stderr)
        launcher = DemoLauncher(language=language)
    else:
        launcher = ProfileLauncher(config, args.profile)
    from .locations import setup_logging

    setup_logging()
    app = make_app(launcher, language=language, keymap=config.keys)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
