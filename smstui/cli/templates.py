"""`smstui templates list|add|update|delete|import|export`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import exits
from .output import Output
from .registry import Command
from .strings import Strings
from .tabular import table

if TYPE_CHECKING:
    from ..service import SmsService

USAGE = {"list": "", "add": "TEXT", "update": "ID TEXT", "delete": "ID", "import": "FILE", "export": "FILE"}
SHOWN = 20  # lines of an import's plan or result said by name; JSON has them all


def _arguments(parser: argparse.ArgumentParser, t: Strings) -> None:
    parser.add_argument("action", choices=list(USAGE), help=t("help.action"))
    parser.add_argument("args", nargs="*", metavar="ARG", help=t("help.args"))
    parser.add_argument("--dry-run", action="store_true", help=t("help.templates_dry_run"))


async def cmd_templates(service: SmsService, args: argparse.Namespace, out: Output) -> int:
    """`smstui templates list|add|update|delete|import|export`."""
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
    elif args.action == "import":
        return await _import(service, Path(args.args[0]).expanduser(), args.dry_run, out)
    elif args.action == "export":
        path = Path(args.args[0]).expanduser()
        await service.templates()  # the list as the gateway has it now
        count = await service.template_book.export(path)
        out.result({"ok": True, "exported": count, "path": str(path)},
                   t.count("templates.exported", count, path=path))
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


async def _import(service: SmsService, path: Path, dry_run: bool, out: Output) -> int:
    """Read a file of templates, say what importing it does, and (unless a dry run) submit the new ones."""
    from ..service.templates import read_template_file
    from ..words import error_text, template_finding_text

    t = out.t
    await service.templates()  # what the account has, so texts already there are not submitted again
    found = await asyncio.to_thread(read_template_file, path)
    plan = service.template_book.plan(found)
    data: dict[str, Any] = {
        "ok": not plan.refused, "path": str(path), "dry_run": dry_run,
        "new": [{"line": row.line, "text": row.text} for row in plan.new],
        "present": [{"line": row.line, "template_id": there.template_id} for row, there in plan.present],
        "refused": [{"line": f.line, "kind": f.kind, "message": template_finding_text(t, f)} for f in plan.refused]}
    lines = [t("templates.import_plan", new=len(plan.new), present=len(plan.present), refused=len(plan.refused))]
    lines += [f"  ✕ {template_finding_text(t, f)}" for f in plan.refused[:SHOWN]]
    lines += [f"  … +{len(plan.refused) - SHOWN}"] if len(plan.refused) > SHOWN else []
    status = exits.INVALID if plan.refused else exits.OK
    if dry_run or not plan.new:
        lines.append(t("templates.import_dry") if dry_run else t("templates.import_nothing"))
        out.result(data, "\n".join(lines))
        return status
    result = await service.template_book.submit(plan)
    data["added"] = [{"line": row.line, "template_id": template_id} for row, template_id in result.added]
    data["gateway_refused"] = [{"line": row.line, "message": error_text(t, error)} for row, error in result.refused]
    data["ok"] = data["ok"] and not result.refused and result.stopped is None
    lines.append(t("templates.import_done", added=len(result.added), refused=len(result.refused)))
    lines += [f"  + {t('templates.import_line', line=row.line)}: {template_id}" for row, template_id in
              result.added[:SHOWN]]
    lines += [f"  ✕ {t('templates.import_line', line=row.line)}: {error_text(t, error)}" for row, error in
              result.refused[:SHOWN]]
    if result.refused:
        status = exits.worst(status, exits.REFUSED)
    if result.stopped is not None:
        data["stopped"] = {"left": result.left, "message": error_text(t, result.stopped)}
        lines.append(t("templates.import_stopped", left=result.left, why=error_text(t, result.stopped)))
        status = exits.worst(status, result.stopped.exit_status)
    out.result(data, "\n".join(lines))
    return status


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
