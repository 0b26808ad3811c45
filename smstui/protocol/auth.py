"""Credentials on the wire: MD5 password, the encrypted send's Stamp and Secret (§1.5)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from .beijing import STAMP_FORMAT, to_beijing


def md5_upper(text: str) -> str:
    """Upper-case hex MD5 of the UTF-8 text (`abc123` → `E99A18C4…`)."""
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def make_stamp(now: datetime) -> str:
    """The Stamp `MMddHHmmss` in Beijing time."""
    return to_beijing(now).strftime(STAMP_FORMAT)


def make_secret(password: str, stamp: str) -> str:
    """The Secret: upper-case MD5 of the plain password followed by the stamp."""
    return md5_upper(password + stamp)


def password_matches(sent: str, password: str, accept_plain: bool = True) -> bool:
    """Whether a `password` field is the account's password, in MD5 form (any case) or plain."""
    if sent.upper() == md5_upper(password):
        return True
    return accept_plain and sent == password
