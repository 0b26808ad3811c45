"""The password change reply (chapter 7)."""

from __future__ import annotations

from dataclasses import dataclass

from .codes import code_for_message
from .wire import fields_of, parse_xml, render_xml, reply_parser, returnstatus

MAX_PASSWORD_LENGTH = 20


@dataclass(frozen=True, slots=True)
class PasswordResult:
    """Whether the password was changed, and the gateway's message."""

    ok: bool
    status: str
    message: str
    code: int | None = None


@reply_parser
def parse_password_reply(raw: bytes | str) -> PasswordResult:
    """The reply of pwd.aspx."""
    fields = fields_of(parse_xml(raw))
    ok, status = returnstatus(fields, raw)
    message = fields.get("message", "")
    return PasswordResult(ok, status, message, None if ok else code_for_message(message))


def render_password_reply(result: PasswordResult) -> bytes:
    """The body pwd.aspx sends."""
    return render_xml([("returnstatus", result.status), ("message", result.message)])


def password_doubt(password: str) -> str | None:
    """A warning for a new password the document does not promise to take (non-ASCII), or None."""
    if not password.isascii():
        return "the password holds characters other than ASCII: the document does not say the gateway takes them"
    return None


def check_new_password(password: str) -> str | None:
    """Why a new password cannot be used (empty, over 20 characters), or None."""
    if not password:
        return "the new password is empty"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the new password has {len(password)} characters; at most {MAX_PASSWORD_LENGTH} are allowed"
    return None
