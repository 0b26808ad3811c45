"""`smstui push-receiver`: receive the gateway's pushes (reports and replies) until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from typing import TYPE_CHECKING

from . import exits
from .output import Output
from .registry import Command

if TYPE_CHECKING:
    from ..service import SmsService


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", help="HOST:PORT to listen on (default: the config's [push] listen)")


async def cmd_push_receiver(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """Serve until interrupted; every stored push is told as an event."""
    url = await service.start_push_receiver(args.listen)
    out.result({"ok": True, "url": url}, f"receiving pushes at {url} (give this URL to the gateway's administrator)")
    service.bus.subscribe(lambda event: out.result({"event": type(event).__name__, **dataclasses.asdict(event)},
                                                   f"{type(event).__name__}: {dataclasses.asdict(event)}"))
    await asyncio.Event().wait()
    return exits.OK


COMMANDS = [Command("push-receiver", "receive the gateway's pushes (reports and replies)", _arguments,
                    cmd_push_receiver)]
