"""Commands that need no account: `smstui locate` and `smstui simulator`."""

from __future__ import annotations

import argparse

from . import exits
from .output import Output
from .registry import Command


def _locate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["config", "data", "state"], help="which directory (or the config file)")


def locate(args: argparse.Namespace, out: Output) -> int:
    """`smstui locate config|data|state`."""
    from ..runtime.locations import data_dir, state_dir
    from ..service.config import default_config_path

    print({"config": default_config_path, "data": data_dir, "state": state_dir}[args.what]())
    return exits.OK


def _simulator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.add_argument("--config", help="simulator TOML config (default: the demo accounts)")
    parser.add_argument("--seed", type=int, help="random seed (overrides the config)")
    parser.add_argument("--frozen", action="store_true", help="freeze the clock (move it with POST /_sim/clock)")


def simulator(args: argparse.Namespace, out: Output) -> int:
    """`smstui simulator`: serve the simulator in the foreground."""
    from ..simulator import SimConfigError, load_sim_config, run_standalone

    try:
        config = load_sim_config(args.config)
    except SimConfigError as exc:
        out.error("SimConfigError", f"simulator: {exc}")
        return exits.INVALID
    if args.seed is not None:
        config.seed = args.seed
    if args.frozen:
        config.clock = "frozen"
    try:
        run_standalone(args.host, args.port, config)
    except KeyboardInterrupt:
        pass
    return exits.OK


COMMANDS = [
    Command("simulator", "run the gateway simulator as a server", _simulator_arguments, local=simulator,
            needs_service=False),
    Command("locate", "print where smstui keeps things", _locate_arguments, local=locate, needs_service=False),
]
