"""`smstui store migrate` and `smstui store copy FROM TO`: create or upgrade a store, move one into another."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from . import exits
from .output import Output
from .registry import Command
from .strings import Strings

if TYPE_CHECKING:
    from ..service import AppConfig, Store


def _arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--config", default=argparse.SUPPRESS, help=t("help.config"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", help=t("store.action.help"))
    migrate = actions.add_parser("migrate", help=t("store.migrate.help"), description=t("store.migrate.help"), t=t)
    migrate.add_argument("--store", help=t("help.store_location"))
    copy = actions.add_parser("copy", help=t("store.copy.help"), description=t("store.copy.help"), t=t)
    copy.add_argument("source", metavar="FROM", help=t("help.store_from"))
    copy.add_argument("target", metavar="TO", help=t("help.store_to"))
    for child in (migrate, copy):
        child.add_argument("--json", action="store_true", help=t("help.json"))


def cmd_store(args: argparse.Namespace, out: Output) -> int:
    """`smstui store migrate|copy`."""
    from ..service import ServiceError, load_config

    try:
        config = load_config(getattr(args, "config", None))
        if args.action == "migrate":
            return asyncio.run(_migrate(config, args.store or str(config.database_path()), out))
        return asyncio.run(_copy(config, args.source, args.target, out))
    except ServiceError as exc:
        out.error(type(exc).__name__, exc.message)
        return exc.exit_status


def _store(config: AppConfig, location: str) -> Store:
    from ..service import Store

    postgres = location.startswith(("postgresql:", "postgres:"))
    return Store(location, password=config.database_password() if postgres else None)


async def _migrate(config: AppConfig, location: str, out: Output) -> int:
    store = await _store(config, location).open()  # opening migrates
    try:
        version = await store.schema_version()
    finally:
        await store.close()
    out.result({"ok": True, "store": store.where, "schema": version},
               out.t("store.migrated", store=store.where, version=version))
    return exits.OK


async def _copy(config: AppConfig, source: str, target: str, out: Output) -> int:
    from ..service import InvalidInput

    if source == target:
        raise InvalidInput(out.t("store.same"))
    origin = await _store(config, source).open()
    try:
        destination = await _store(config, target).open()
        try:
            copied = await origin.copy_to(destination)
        finally:
            await destination.close()
    finally:
        await origin.close()
    total = sum(copied.values())
    out.result({"ok": True, "from": origin.where, "to": destination.where, "rows": copied},
               out.t("store.copied", rows=f"{total:,}", source=origin.where, target=destination.where,
                     tables=", ".join(f"{name} {count:,}" for name, count in copied.items() if count)))
    return exits.OK


COMMANDS = [Command("store", _arguments, local=cmd_store, needs_service=False)]
