"""Delivery reports and uplinks (chapters 4–6): statusbox/callbox lists in XML or JSON, and written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

from .beijing import parse_gateway_time
from .codes import QUERY_ERRORS
from .errors import GatewayReplyError
from .salvage import salvage_boxes, salvage_cut, salvage_cut_json
from .wire import (
    XML_DECLARATION,
    fields_of,
    local_name,
    parse_json,
    parse_xml,
    render_json,
    reply_parser,
    to_int,
    xml_text,
)

DELIVERED, FAILED = 10, 20
DELIVERED_CODE = "DELIVRD"
KEEP_AS_SENT = ("content",)  # a recipient's text is kept exactly; other values are trimmed
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Report:
    """One delivery report: number, task, 10 delivered / 20 failed, when, upstream code, extno."""

    mobile: str
    task_id: str
    status: int
    receive_time: datetime | None
    error_code: str = ""
    extno: str = ""
    receive_time_text: str = ""
    status_derived: bool = False

    @property
    def delivered(self) -> bool:
        """Whether the message reached the handset."""
        return self.status == DELIVERED


@dataclass(frozen=True, slots=True)
class Uplink:
    """One reply a recipient sent (MO): number, text, when, extno."""

    mobile: str
    content: str
    receive_time: datetime | None
    extno: str = ""
    receive_time_text: str = ""


@dataclass(frozen=True, slots=True)
class QueryReply(Generic[T]):
    """A report or uplink query answer: outcome, the items, and the error number and remark on failure."""

    ok: bool
    items: list[T] = field(default_factory=list)
    error: int | None = None
    remark: str = ""
    code: int | None = None


def _report(fields: dict[str, str]) -> Report:
    error_code = fields.get("errorcode", "")
    given = to_int(fields.get("status"))
    derived = given is None
    status = (DELIVERED if error_code.upper() == DELIVERED_CODE else FAILED) if given is None else given
    text = fields.get("receivetime", "")
    return Report(
        mobile=fields.get("mobile", ""),
        task_id=fields.get("taskid", ""),
        status=status,
        receive_time=parse_gateway_time(text),
        error_code=error_code,
        extno=fields.get("extno", ""),
        receive_time_text=text,
        status_derived=derived,
    )


def _uplink(fields: dict[str, str]) -> Uplink:
    text = fields.get("receivetime", "")
    return Uplink(
        mobile=fields.get("mobile", ""),
        content=fields.get("content", ""),
        receive_time=parse_gateway_time(text),
        extno=fields.get("extno", ""),
        receive_time_text=text,
    )


def _xml_error(fields: dict[str, str]) -> QueryReply:
    number = to_int(fields.get("error"))
    _, _, code = QUERY_ERRORS.get(number, ("", "", None)) if number is not None else ("", "", None)
    return QueryReply(False, [], number, fields.get("remark", ""), code)


def _xml_children(raw: bytes | str, kinds: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """The boxes of a reply as (kind, fields); a body spoilt by one unescaped `&` or `<` is salvaged box by box."""
    try:
        root = parse_xml(raw)
    except GatewayReplyError:
        salvaged = salvage_boxes(raw, kinds)
        if not salvaged:
            raise
        for kind, fields in salvaged:
            yield kind, _trimmed(fields)
        return
    for child in root:  # one box at a time: 10,000 live dicts would keep the garbage collector busy
        name = local_name(child.tag).lower()
        if name in kinds:
            yield name, fields_of(child, KEEP_AS_SENT)


def _trimmed(fields: dict[str, str]) -> dict[str, str]:
    return {k: v if k in KEEP_AS_SENT else v.strip() for k, v in fields.items()}


def _parse_xml_boxes(raw: bytes | str, box: str, make) -> QueryReply:
    items = []
    for name, fields in _xml_children(raw, (box, "errorstatus")):
        if name == "errorstatus":
            return _xml_error(fields)
        items.append(make(fields))
    return QueryReply(True, items)


def _parse_json_boxes(raw: bytes | str, box: str, make) -> QueryReply:
    value = parse_json(raw)
    lowered = {str(k).lower(): v for k, v in value.items()}
    error = to_int(lowered.get("error"))
    remark = "" if lowered.get("remark") is None else str(lowered.get("remark"))
    if error is None:
        raise GatewayReplyError("the JSON has no 'error' member", raw)
    boxes = lowered.get(box) or []
    if not isinstance(boxes, list):
        boxes = [boxes]
    if error != 1:
        code = error if error >= 1000 else QUERY_ERRORS.get(error, ("", "", None))[2]
        return QueryReply(False, [], error, remark, code)
    items = []
    for entry in boxes:
        if not isinstance(entry, dict):
            raise GatewayReplyError(f"a {box} entry is not an object", raw)
        items.append(make(_trimmed({str(k).lower(): "" if v is None else str(v) for k, v in entry.items()})))
    return QueryReply(True, items, None, remark)


@reply_parser
def parse_reports(raw: bytes | str) -> QueryReply[Report]:
    """Delivery reports from statusApi.aspx (or a push), or its errorstatus form."""
    return _parse_xml_boxes(raw, "statusbox", _report)


@reply_parser
def parse_reports_json(raw: bytes | str) -> QueryReply[Report]:
    """Delivery reports from statusJsonApi.aspx (`error` "1" is success); status derived when missing."""
    return _parse_json_boxes(raw, "statusbox", _report)


@reply_parser
def parse_uplinks(raw: bytes | str) -> QueryReply[Uplink]:
    """Uplinks from callApi.aspx (or a push), or its errorstatus form."""
    return _parse_xml_boxes(raw, "callbox", _uplink)


@reply_parser
def parse_uplinks_json(raw: bytes | str) -> QueryReply[Uplink]:
    """Uplinks from callJsonApi.aspx."""
    return _parse_json_boxes(raw, "callbox", _uplink)


def salvage_reports(raw: bytes | str, fmt: str = "xml") -> list[Report]:
    """The reports that arrived whole in a body cut short (the rest of it is lost)."""
    if fmt == "json":
        return [_report(_trimmed(fields)) for fields in salvage_cut_json(raw, "statusbox")]
    return [_report(_trimmed(fields)) for _, fields in salvage_cut(raw, ("statusbox",))]


def salvage_uplinks(raw: bytes | str, fmt: str = "xml") -> list[Uplink]:
    """The uplinks that arrived whole in a body cut short (the rest of it is lost)."""
    if fmt == "json":
        return [_uplink(_trimmed(fields)) for fields in salvage_cut_json(raw, "callbox")]
    return [_uplink(_trimmed(fields)) for _, fields in salvage_cut(raw, ("callbox",))]


def looks_like_html(raw: bytes | str) -> bool:
    """Whether a body is a web page (a proxy's or a server's error page), not an answer of the gateway's."""
    head = (raw[:512].decode("latin-1") if isinstance(raw, bytes) else raw[:512]).lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head[:200]


@dataclass(frozen=True, slots=True)
class PushBody:
    """What a push carried: reports, uplinks (a body holds one kind, but both are read), and the boxes refused."""

    reports: list[Report]
    uplinks: list[Uplink]
    refused: list[str] = field(default_factory=list)  # why each box that could not be stored was left out


_PUSH_KEYS = {"statusbox": ("mobile", "taskid"), "callbox": ("mobile",)}  # what a pushed box cannot do without


@reply_parser
def parse_push(raw: bytes | str) -> PushBody:
    """A pushed body (chapter 6): the same XML as the queries, statusbox and/or callbox. A box without its keys (a
    report without mobile or taskid, a reply without mobile) is refused; a body with boxes but none to store is a
    GatewayReplyError naming what was wrong (an empty `<returnsms/>` is an empty push)."""
    reports, uplinks, refused = [], [], []
    for number, (name, fields) in enumerate(_xml_children(raw, (*_PUSH_KEYS, "errorstatus")), 1):
        missing = [key for key in _PUSH_KEYS.get(name, ()) if not fields.get(key, "").strip()]
        if name == "errorstatus":
            refused.append(f"box {number} is an errorstatus (a query's error answer), not a push")
        elif missing:
            refused.append(f"box {number} ({name}) has no {' and no '.join(missing)}")
        elif name == "statusbox":
            reports.append(_report(fields))
        else:
            uplinks.append(_uplink(fields))
    if refused and not reports and not uplinks:
        raise GatewayReplyError("nothing to store: " + "; ".join(refused[:3])
                                + (f" (and {len(refused) - 3} more)" if len(refused) > 3 else ""), raw)
    return PushBody(reports, uplinks, refused)


def _time_text(moment: datetime | None, text: str) -> str:
    if moment is None:
        return text or "0001-01-01 00:00:00"
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _xml_box(name: str, pairs: Sequence[tuple[str, object]]) -> str:
    inner = "\r\n".join(f"<{k}>{xml_text(v)}</{k}>" for k, v in pairs)
    return f"<{name}>\r\n{inner}\r\n</{name}>"


def _report_pairs(report: Report) -> list[tuple[str, object]]:
    return [
        ("mobile", report.mobile),
        ("taskid", report.task_id),
        ("status", report.status),
        ("receivetime", _time_text(report.receive_time, report.receive_time_text)),
        ("errorcode", report.error_code),
        ("extno", report.extno),
    ]


def _uplink_pairs(uplink: Uplink) -> list[tuple[str, object]]:
    return [
        ("mobile", uplink.mobile),
        ("content", uplink.content),
        ("receivetime", _time_text(uplink.receive_time, uplink.receive_time_text)),
        ("extno", uplink.extno),
    ]


def _render(box: str, rows: list[list[tuple[str, object]]], fmt: str) -> bytes:
    if fmt == "json":
        return render_json({"error": "1", "remark": "成功", box: [{k: str(v) for k, v in row} for row in rows]})
    parts = [XML_DECLARATION.format("utf-8"), "<returnsms>", *(_xml_box(box, row) for row in rows), "</returnsms>"]
    return "\r\n".join(parts).encode("utf-8")


def render_reports(reports: Sequence[Report], fmt: str = "xml") -> bytes:
    """A report query answer or push body."""
    return _render("statusbox", [_report_pairs(r) for r in reports], fmt)


def render_uplinks(uplinks: Sequence[Uplink], fmt: str = "xml") -> bytes:
    """An uplink query answer or push body."""
    return _render("callbox", [_uplink_pairs(u) for u in uplinks], fmt)


def render_query_error(
    error: int, remark: str, fmt: str = "xml", kind: Literal["statusbox", "callbox"] = "statusbox"
) -> bytes:
    """The error form of a report or uplink query (XML errorstatus, or JSON with an empty list)."""
    if fmt == "json":
        return render_json({"error": str(error), "remark": remark, kind: []})
    body = _xml_box("errorstatus", [("error", error), ("remark", remark)])
    return "\r\n".join([XML_DECLARATION.format("utf-8"), "<returnsms>", body, "</returnsms>"]).encode("utf-8")
