"""The one registry of scriptable commands: name, arguments, handler, and how Ctrl-C and prompts behave (what each says
in --help is in the catalog: `command.NAME`, and `help.*` for its options)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import SmsService
    from .output import Output
    from .strings import Strings

Handler = Callable[["SmsService", argparse.Namespace, "Output"], Awaitable[int]]
Local = Callable[[argparse.Namespace, "Output"], int]
Arguments = Callable[[argparse.ArgumentParser, "Strings"], None]


def _no_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    """A command without arguments of its own."""


async def _no_handler(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    raise NotImplementedError


def _no_local(args: argparse.Namespace, out: Output) -> int:
    raise NotImplementedError


@dataclass(frozen=True)
class Command:
    """One `smstui COMMAND`: what it takes, what runs it."""

    name: str
    arguments: Arguments = _no_arguments
    handler: Handler = _no_handler  # runs with the service of a profile
    local: Local = _no_local  # runs without one (needs_service False)
    needs_service: bool = True
    graceful: bool = False  # the first Ctrl-C lets requests in flight finish
    prepare: Callable[[argparse.Namespace, Output], None] | None = None  # asked before the event loop (a prompt)


def commands() -> list[Command]:
    """Every scriptable command, in the order --help lists them."""
    from . import account, batch, lists, local, mms, receiver, recovery, send, store, templates

    return [*send.COMMANDS, *batch.COMMANDS, *mms.COMMANDS, *account.COMMANDS, *lists.COMMANDS, *templates.COMMANDS,
            *recovery.COMMANDS, *receiver.COMMANDS, *local.COMMANDS, *store.COMMANDS]
