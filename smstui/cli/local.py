"""Commands that need no account: `smstui locate` and `smstui simulator`."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from . import exits
from .output import Output
from .registry import Command
from .strings import Strings

if TYPE_CHECKING:
    from ..simulator import SimConfig
    from ..simulator.config import AccountConfig


def _locate_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("what", choices=["config", "data", "state"], help=t("help.what"))


def locate(args: argparse.Namespace, out: Output) -> int:
    """`smstui locate config|data|state`."""
    from ..runtime.locations import data_dir, state_dir
    from ..service.config import default_config_path

    print({"config": default_config_path, "data": data_dir, "state": state_dir}[args.what]())
    return exits.OK


def _simulator_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--host", default="127.0.0.1", help=t("help.host"))
    parser.add_argument("--port", type=int, default=8080, help=t("help.port"))
    # its own dest: `smstui --config app.toml simulator --config sim.toml` names two files
    parser.add_argument("--config", dest="sim_config", help=t("help.sim_config"))
    parser.add_argument("--seed", type=int, help=t("help.seed"))
    parser.add_argument("--frozen", action="store_true", help=t("help.frozen"))


def simulator(args: argparse.Namespace, out: Output) -> int:
    """`smstui simulator`: serve the simulator in the foreground; says where, and with which accounts, once it
    listens."""
    from ..simulator import SimConfigError, load_sim_config

    t = out.t
    try:
        config = load_sim_config(args.sim_config)
    except SimConfigError as exc:
        out.error("SimConfigError", f"simulator: {exc}", t("simulator.bad_config", error=exc))
        return exits.INVALID
    if args.seed is not None:
        config.seed = args.seed
    if args.frozen:
        config.clock = "frozen"
    try:
        return asyncio.run(_serve(args.host, args.port, config, out))
    except KeyboardInterrupt:
        return exits.OK


async def _serve(host: str, port: int, config: SimConfig, out: Output) -> int:
    from ..simulator import Simulator

    t = out.t
    sim = Simulator(config)
    try:
        url = await sim.start(host, port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        out.error("SimulatorError", f"simulator: cannot listen on {host}:{port} ({reason})",
                  t("simulator.cannot_listen", host=host, port=port, reason=reason))
        return exits.INVALID
    try:
        lines = [t("simulator.listening", url=url, seed=config.seed, clock=config.clock), t("simulator.accounts")]
        lines += [t("simulator.account", account=a.account, password=a.password, userid=a.userid or "-",
                    what=_account_text(t, a)) for a in config.accounts]
        lines.append(t("simulator.admin", url=url))
        print("\n".join(lines), flush=True)
        await asyncio.Event().wait()
    finally:
        await sim.stop()
    return exits.OK


def _account_text(t: Strings, account: AccountConfig) -> str:
    """What an account of the simulator is like: pay type, points, what it may not do."""
    what = [t(f"simulator.{account.pay_type}"),
            t("simulator.points", balance=f"{account.balance:,}", mms=f"{account.mms_balance:,}")]
    flags = {"no_templates": not account.templates_enabled, "no_reports": not account.reports_allowed,
             "no_product": not account.has_product, "no_channel": not account.has_channel,
             "disabled": not account.enabled}
    what += [t(f"simulator.{flag}") for flag, on in flags.items() if on]
    if account.push_url:
        what.append(t("simulator.push", url=account.push_url))
    return t("simulator.join").join(what)


COMMANDS = [
    Command("simulator", _simulator_arguments, local=simulator, needs_service=False),
    Command("locate", _locate_arguments, local=locate, needs_service=False),
]
