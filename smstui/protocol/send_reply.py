"""The send result (chapters 1.3, 1.4, 1.6, 2.3): parsed from XML or JSON, and written."""

from __future__ import annotations

from dataclasses import dataclass, field

from .codes import code_for_message
from .wire import (
    fields_of,
    json_fields,
    parse_json,
    parse_xml,
    render_fields,
    reply_parser,
    returnstatus,
    to_int,
    to_number,
)

_KNOWN = ("returnstatus", "message", "remainpoint", "taskid", "successcounts")


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the gateway answered to a send: outcome, message, balance after, task id, accepted count."""

    ok: bool
    status: str
    message: str
    balance: int | float | None
    task_id: str
    success_count: int
    code: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _from_fields(fields: dict[str, str], raw: bytes | str) -> SendResult:
    ok, status = returnstatus(fields, raw)
    message = fields.get("message", "")
    task_id = fields.get("taskid", "")
    return SendResult(
        ok=ok,
        status=status,
        message=message,
        balance=to_number(fields.get("remainpoint")),
        task_id="" if task_id == "0" and not ok else task_id,
        success_count=to_int(fields.get("successcounts")) or 0,
        code=None if ok else code_for_message(message),
        extra={k: v for k, v in fields.items() if k not in _KNOWN},
    )


@reply_parser
def parse_send_result(raw: bytes | str) -> SendResult:
    """A send result from the XML endpoints (sms.aspx, smsGBK.aspx, BatchSms.ashx, mms.aspx)."""
    return _from_fields(fields_of(parse_xml(raw)), raw)


@reply_parser
def parse_send_result_json(raw: bytes | str) -> SendResult:
    """A send result from smsJson.aspx (every value a string)."""
    return _from_fields(json_fields(parse_json(raw)), raw)


def render_send_result(result: SendResult, fmt: str = "xml", encoding: str = "utf-8") -> bytes:
    """The body the gateway sends for a send result, in the document's element order."""
    pairs = [
        ("returnstatus", result.status),
        ("message", result.message),
        ("remainpoint", "" if result.balance is None else result.balance),
        ("taskID", result.task_id),
        ("successCounts", result.success_count),
    ]
    return render_fields(pairs, fmt, encoding)
