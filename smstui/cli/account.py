"""`smstui balance` and `smstui password`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from .. import protocol as p
from . import exits
from .output import Output
from .registry import Command

if TYPE_CHECKING:
    from ..service import SmsService


def _balance_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mms", action="store_true", help="the MMS balance instead of the SMS balance")


async def cmd_balance(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui balance`."""
    balance = await service.balance(mms=args.mms)
    total = "recharged in all" if balance.pay_type == "prepaid" else "used in all"
    key = "recharged_total" if balance.pay_type == "prepaid" else "used_total"
    points = "?" if balance.balance is None else f"{balance.balance:,}"
    out.result({"ok": True, "balance": balance.balance, key: balance.send_total, "pay_type": balance.pay_type,
                "mms": args.mms},
               f"{'MMS ' if args.mms else ''}balance: {points}   {total}: {balance.send_total}   "
               f"pay type: {balance.pay_type} ({balance.pay_info})")
    return exits.OK


def ask_new_password(args: argparse.Namespace) -> None:
    """The new password: SMSTUI_NEW_PASSWORD (scripts), else typed twice at the terminal (before any request)."""
    import getpass

    from ..service import InvalidInput

    new = os.environ.get("SMSTUI_NEW_PASSWORD")
    if new is None:
        if not sys.stdin.isatty():
            raise InvalidInput("no terminal to type the new password on: set SMSTUI_NEW_PASSWORD; nothing was changed")
        try:
            new = getpass.getpass("new password: ")
            again = getpass.getpass("again: ")
        except EOFError:
            raise InvalidInput("no new password was typed; nothing was changed") from None
        if again != new:
            raise InvalidInput("the two passwords differ; nothing was changed")
    args.new_password = new


async def cmd_password(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui password`: change the account's password to the one typed (or SMSTUI_NEW_PASSWORD)."""
    if doubt := p.password_doubt(args.new_password):
        out.note(doubt)
    await service.change_password(args.new_password)
    out.result({"ok": True, "account": service.profile.account},
               f"password of account {service.profile.account} changed; update the profile's password source "
               "(config, password_env, password_command or password_file), or the next run will fail")
    return exits.OK


COMMANDS = [
    Command("balance", "show the balance", _balance_arguments, cmd_balance),
    Command("password", "change the account's password (asks twice)", handler=cmd_password, prepare=ask_new_password),
]
