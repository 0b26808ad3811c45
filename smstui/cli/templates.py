"""`smstui templates list|add|update|delete`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .. import protocol as p
from . import exits
from .output import Output
from .registry import Command
from .tabular import table

if TYPE_CHECKING:
    from ..service import SmsService

USAGE = {"list": "", "add": "TEXT", "update": "ID TEXT", "delete": "ID"}


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=list(USAGE), help="list, add TEXT, update ID TEXT or delete ID")
    parser.add_argument("args", nargs="*", metavar="ARG", help="the template's text (add), its id and new text "
                        "(update), its id (delete)")


async def cmd_templates(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui templates list|add|update|delete`."""
    from ..service import InvalidInput

    need = len(USAGE[args.action].split())
    if len(args.args) != need:
        raise InvalidInput(f"usage: smstui templates {args.action} {USAGE[args.action]}".rstrip())
    if args.action == "add":
        template_id = await service.add_template(args.args[0])
        out.result({"ok": True, "template_id": template_id}, f"template {template_id} submitted for review")
    elif args.action == "update":
        await service.update_template(*args.args)
        out.result(
            {"ok": True, "template_id": args.args[0]}, f"template {args.args[0]} changed; it is under review again"
        )
    elif args.action == "delete":
        await service.delete_template(args.args[0])
        out.result({"ok": True, "template_id": args.args[0]}, f"template {args.args[0]} deleted")
    else:
        found = await service.templates()
        rows = [
            {
                "template_id": t.template_id,
                "status": int(t.status),
                "state": p.TemplateStatus(t.status).label,
                "text": t.text,
            }
            for t in found
        ]
        out.result(
            {"templates": rows},
            table(["id", "state", "template"], [[r["template_id"], r["state"], r["text"]] for r in rows])
            if rows
            else "no templates",
        )
    return exits.OK


COMMANDS = [Command("templates", "list, add, update or delete templates", _arguments, cmd_templates)]
