"""`smstui templates list|add|update|delete`."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from . import exits
from .output import Output
from .registry import Command
from .strings import Strings
from .tabular import table

if TYPE_CHECKING:
    from ..service import SmsService

USAGE = {"list": "", "add": "TEXT", "update": "ID TEXT", "delete": "ID"}


def _arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("action", choices=list(USAGE), help=t("help.action"))
    parser.add_argument("args", nargs="*", metavar="ARG", help=t("help.args"))


async def cmd_templates(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui templates list|add|update|delete`."""
    from ..service import InvalidInput

    t = out.t
    need = len(USAGE[args.action].split())
    if len(args.args) != need:
        usage = f"smstui templates {args.action} {USAGE[args.action]}".rstrip()
        raise InvalidInput(f"usage: {usage}").words("usage", usage=usage)
    if args.action == "add":
        template_id = await service.add_template(args.args[0])
        out.result({"ok": True, "template_id": template_id}, t("templates.added", id=template_id))
    elif args.action == "update":
        await _on_template(service, args.args[0], service.update_template(*args.args))
        out.result({"ok": True, "template_id": args.args[0]}, t("templates.updated", id=args.args[0]))
    elif args.action == "delete":
        await _on_template(service, args.args[0], service.delete_template(args.args[0]))
        out.result({"ok": True, "template_id": args.args[0]}, t("templates.deleted", id=args.args[0]))
    else:
        found = await service.templates()
        rows = [{"template_id": x.template_id, "status": int(x.status), "state": _state(x.status), "text": x.text}
                for x in found]
        columns = [t("templates.col.id"), t("templates.col.state"), t("templates.col.text")]
        cells = [[r["template_id"], t.get(f"templates.state.{r['status']}", str(r["state"])), r["text"]] for r in rows]
        out.result({"templates": rows}, table(columns, cells) if rows else t("templates.none"))
    return exits.OK


def _state(status: int) -> str:
    """A template's state in the English words of JSON (`under review`), or its number when the gateway's is new."""
    from .. import protocol as p

    try:
        return p.TemplateStatus(status).label
    except ValueError:
        return str(status)


async def _on_template(service: SmsService, template_id: str, change: Awaitable[None]) -> None:
    """Update or delete a template; the gateway's 1001 for an id the account has no template under says so."""
    from ..service import GatewayRefused, InvalidInput

    try:
        await change
    except GatewayRefused as exc:
        if exc.code != 1001 or any(x.template_id == template_id for x in await service.templates()):
            raise
        raise InvalidInput(f"no template {template_id} on account {service.profile.account} (`smstui templates list` "
                           f"shows them; the gateway said: {exc.gateway_message or exc.name})").words(
            "no_template", id=template_id, account=service.profile.account,
            said=exc.gateway_message or exc.name) from None


COMMANDS = [Command("templates", _arguments, cmd_templates)]
