"""The balance reply (chapter 3): pay type, balance, total; XML or JSON, and written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .codes import code_for_message
from .wire import (
    fields_of,
    json_fields,
    parse_json,
    parse_xml,
    render_fields,
    reply_parser,
    returnstatus,
    to_number,
)

PayType = Literal["prepaid", "postpaid", "unknown"]
PAY_INFO = {"prepaid": "预付费", "postpaid": "后付费"}
# The words the gateway writes on a successful balance reply, by format: the document's XML (3.3) says `Sucess`
# (sic) and 后付费; its JSON example (3.4) says `Success` and 后付.
OK_STATUS = {"xml": "Sucess", "json": "Success"}
PAY_INFO_JSON = {"prepaid": "预付费", "postpaid": "后付"}
_KNOWN = ("returnstatus", "message", "payinfo", "overage", "sendtotal", "remainpoint", "taskid", "successcounts")


@dataclass(frozen=True, slots=True)
class Balance:
    """An account's balance: outcome, pay type, points left (negative on post-paid, fractional if billed in money),
    total."""

    ok: bool
    status: str
    message: str
    pay_type: PayType
    pay_info: str
    balance: int | float | None
    send_total: int | float | None
    code: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def pay_type_of(pay_info: str) -> PayType:
    """The pay type a `payinfo` text names (预付费 prepaid; 后付费 or 后付 post-paid)."""
    if "预付" in pay_info or pay_info.lower().startswith("pre"):
        return "prepaid"
    if "后付" in pay_info or pay_info.lower().startswith("post"):
        return "postpaid"
    return "unknown"


def _from_fields(fields: dict[str, str], raw: bytes | str) -> Balance:
    ok, status = returnstatus(fields, raw)
    message = fields.get("message", "")
    pay_info = fields.get("payinfo", "")
    balance = to_number(fields.get("overage"))
    return Balance(
        ok=ok,
        status=status,
        message=message,
        pay_type=pay_type_of(pay_info),
        pay_info=pay_info,
        balance=balance,
        send_total=to_number(fields.get("sendtotal")),
        code=None if ok else code_for_message(message),
        extra={k: v for k, v in fields.items() if k not in _KNOWN},
    )


@reply_parser
def parse_balance(raw: bytes | str) -> Balance:
    """A balance from the XML endpoints; a send-shaped failure (`Faild`, zeros) is a failed Balance."""
    return _from_fields(fields_of(parse_xml(raw)), raw)


@reply_parser
def parse_balance_json(raw: bytes | str) -> Balance:
    """A balance from smsJson.aspx."""
    return _from_fields(json_fields(parse_json(raw)), raw)


def make_balance(pay_type: PayType, balance: int, send_total: int, fmt: str = "xml") -> Balance:
    """A successful balance reply in the gateway's own words for that format (`Sucess`/后付费 in XML)."""
    words = "json" if fmt == "json" else "xml"
    pay_info = (PAY_INFO_JSON if words == "json" else PAY_INFO).get(pay_type, "")
    return Balance(True, OK_STATUS[words], "操作成功", pay_type, pay_info, balance, send_total)


def render_balance(balance: Balance, fmt: str = "xml", encoding: str = "utf-8") -> bytes:
    """The body the gateway sends for a balance query."""
    pairs = [
        ("returnstatus", balance.status),
        ("message", balance.message),
        ("payinfo", balance.pay_info),
        ("overage", "" if balance.balance is None else balance.balance),
        ("sendTotal", "" if balance.send_total is None else balance.send_total),
    ]
    return render_fields(pairs, fmt, encoding)
