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
from .strings import Strings

if TYPE_CHECKING:
    from ..service import SmsService


def _balance_arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("--mms", action="store_true", help=t("help.mms_balance"))


async def cmd_balance(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui balance`: the balance and, by the pay type, what was recharged (prepaid) or used (post-paid) in all."""
    t = out.t
    balance = await service.balance(mms=args.mms)
    prepaid = balance.pay_type == "prepaid"
    key = "recharged_total" if prepaid else "used_total"
    points = "?" if balance.balance is None else f"{balance.balance:,}"
    total = "?" if balance.send_total is None else f"{balance.send_total:,}"
    pay_type = t(f"balance.{balance.pay_type}")
    info = t("balance.info", info=balance.pay_info) if balance.pay_info and balance.pay_info != pay_type else ""
    out.result({"ok": True, "balance": balance.balance, key: balance.send_total, "pay_type": balance.pay_type,
                "mms": args.mms},
               t("balance.mms" if args.mms else "balance.sms", points=points,
                 total=t("balance.recharged" if prepaid else "balance.used"), sent=total, pay_type=pay_type,
                 info=info))
    return exits.OK


def ask_new_password(args: argparse.Namespace, out: Output) -> None:
    """The new password: SMSTUI_NEW_PASSWORD (scripts), else typed twice at the terminal (before any request)."""
    import getpass

    from ..service import InvalidInput

    new = os.environ.get("SMSTUI_NEW_PASSWORD")
    if new is None:
        if not sys.stdin.isatty():
            raise InvalidInput("no terminal to type the new password on: set SMSTUI_NEW_PASSWORD; nothing was "
                               "changed").words("no_terminal")
        try:
            new = getpass.getpass(out.t("password.new"))
            again = getpass.getpass(out.t("password.again"))
        except EOFError:
            raise InvalidInput("no new password was typed; nothing was changed").words("no_new_password") from None
        if again != new:
            raise InvalidInput("the two passwords differ; nothing was changed").words("passwords_differ")
    args.new_password = new


async def cmd_password(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui password`: change the account's password to the one typed (or SMSTUI_NEW_PASSWORD)."""
    if doubt := p.password_doubt(args.new_password):
        out.note(out.t.get("password.non_ascii", doubt))
    await service.change_password(args.new_password)
    account = service.profile.account
    out.result({"ok": True, "account": account}, out.t("password.changed", account=account))
    return exits.OK


COMMANDS = [
    Command("balance", _balance_arguments, cmd_balance),
    Command("password", handler=cmd_password, prepare=ask_new_password),
]
