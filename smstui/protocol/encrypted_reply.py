"""The encrypted send's JSON reply (§1.5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import GatewayReplyError
from .wire import error_text, parse_json, render_json, reply_parser, to_int, to_number


@dataclass(frozen=True, slots=True)
class EncryptedSendResult:
    """What ensms.ashx answered: StatusCode (1 = success, else §10), MsgId, balance, accepted count."""

    status_code: int
    description: str
    msg_id: str
    amount: int | float | None
    success_count: int
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the gateway accepted the send."""
        return self.status_code == 1


@reply_parser
def parse_encrypted_reply(raw: bytes | str) -> EncryptedSendResult:
    """The reply of ensms.ashx."""
    value = {str(k).lower(): v for k, v in parse_json(raw).items()}
    code = to_int(value.get("statuscode"))
    if code is None:
        raise GatewayReplyError("the reply has no numeric StatusCode", raw)
    errors = value.get("errors") or []
    if not isinstance(errors, list):
        errors = [errors]
    return EncryptedSendResult(
        status_code=code,
        description=str(value.get("description") or ""),
        msg_id=str(value.get("msgid") or ""),
        amount=to_number(value.get("amount")),
        success_count=to_int(value.get("successcounts")) or 0,
        errors=[error_text(e) for e in errors if e is not None],
    )



def render_encrypted_reply(result: EncryptedSendResult) -> bytes:
    """The body ensms.ashx sends."""
    return render_json(
        {
            "StatusCode": result.status_code,
            "Description": result.description,
            "MsgId": result.msg_id,
            "Amount": result.amount if result.amount is not None else 0,
            "SuccessCounts": result.success_count,
            "Errors": list(result.errors),
        }
    )
