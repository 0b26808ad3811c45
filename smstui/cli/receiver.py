"""`smstui push-receiver`: receive the gateway's pushes (reports and replies) until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from typing import TYPE_CHECKING, Any

from . import exits
from .output import Output
from .registry import Command
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService


def _arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--listen", help=t("help.listen"))


def event_text(t: Strings, event: Any) -> str:
    """An event of the service for people (what arrived, what was kept); its fields as they are when unnamed."""
    from ..service import GapsFound, RawReplyKept, ReportsArrived, UplinksArrived

    if isinstance(event, ReportsArrived):
        return t.count("receiver.reports", event.count, delivered=f"{event.delivered:,}")
    if isinstance(event, UplinksArrived):
        optouts = t("receiver.optouts", numbers=", ".join(event.optouts)) if event.optouts else ""
        return t.count("receiver.uplinks", event.count, optouts=optouts)
    if isinstance(event, RawReplyKept):
        return t("receiver.kept", kind=event.kind, error=event.error)
    if isinstance(event, GapsFound):
        return t.count("receiver.gaps", event.count)
    return f"{type(event).__name__}: {dataclasses.asdict(event)}"


async def cmd_push_receiver(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """Serve until interrupted; every stored push is told as an event."""
    url = await service.start_push_receiver(args.listen)
    if service.receiver is not None and service.receiver.exposed:
        out.note(out.t("receiver.exposed", url=url))
    out.result({"ok": True, "url": url}, out.t("receiver.listening", url=url))
    service.bus.subscribe(lambda event: out.result({"event": type(event).__name__, **dataclasses.asdict(event)},
                                                   event_text(out.t, event)))
    await asyncio.Event().wait()
    return exits.OK


COMMANDS = [Command("push-receiver", _arguments, cmd_push_receiver)]
