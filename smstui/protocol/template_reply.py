"""The template endpoint's JSON replies (chapter 9)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import GatewayReplyError
from .templates import Template
from .wire import parse_json, render_json, reply_parser, status_word, to_int


@dataclass(frozen=True, slots=True)
class TemplateReply:
    """An answer of freeTemplate.aspx: outcome, code, description, the new id, or the list."""

    ok: bool
    status: str
    status_code: int | None
    description: str
    template_id: str = ""
    templates: list[Template] = field(default_factory=list)


@reply_parser
def parse_template_reply(raw: bytes | str) -> TemplateReply:
    """Any reply of freeTemplate.aspx (Add, query, update, del); `Faild` is a failure."""
    value = {str(k).lower(): v for k, v in parse_json(raw).items()}
    status = str(value.get("status") or "")
    code = to_int(value.get("statuscode"))
    ok = status_word(status)
    if ok is None:
        if code is None:
            raise GatewayReplyError(f"Status {status!r} is neither success nor failure", raw)
        ok = code == 1
    entries = value.get("templatelist") or []
    if not isinstance(entries, list):
        entries = [entries]
    templates = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise GatewayReplyError("a TemplateList entry is not an object", raw)
        e = {str(k).lower(): v for k, v in entry.items()}
        templates.append(
            Template(str(e.get("templateid") or ""), to_int(e.get("status")) or 0, str(e.get("template") or ""))
        )
    return TemplateReply(
        ok=ok,
        status=status,
        status_code=code,
        description=str(value.get("description") or ""),
        template_id=str(value.get("templateid") or ""),
        templates=templates,
    )


def render_template_reply(reply: TemplateReply, action: str) -> bytes:
    """The body freeTemplate.aspx sends for an action (Add carries TemplateId, query the list)."""
    body: dict[str, object] = {
        "Status": "Success" if reply.ok else "Faild",
        "StatusCode": str(reply.status_code if reply.status_code is not None else ""),
        "Description": reply.description,
    }
    if action.lower() == "add":
        body["TemplateId"] = reply.template_id
    elif action.lower() == "query":
        body["TemplateList"] = [
            {"TemplateId": t.template_id, "Status": t.status, "Template": t.text} for t in reply.templates
        ]
    return render_json(body)
