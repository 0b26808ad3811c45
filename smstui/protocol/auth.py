"""Credentials on the wire: MD5 password, the encrypted send's Stamp and Secret (§1.5)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from .beijing import STAMP_FORMAT, to_beijing

STAMP_WINDOW = timedelta(minutes=5)


def md5_upper(text: str) -> str:
    """Upper-case hex MD5 of the UTF-8 text (`abc123` → `E99A18C4…`); a lone surrogate is hashed as `?`."""
    return hashlib.md5(text.encode("utf-8", "replace")).hexdigest().upper()


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


def soap_password_matches(sent: str, password: str) -> bool:
    """Whether SendSms's `password` is the account's: chapter 8 sends it plain, so plain always counts (MD5 too)."""
    return password_matches(sent, password, accept_plain=True)


def stamp_fresh(stamp: str, now: datetime, window: timedelta = STAMP_WINDOW) -> bool:
    """Whether a `MMddHHmmss` stamp is well formed and within 5 minutes of now (across a year's turn too)."""
    if not re.fullmatch(r"[0-9]{10}", stamp):
        return False
    now = to_beijing(now)
    for year in (now.year, now.year - 1, now.year + 1):
        try:
            moment = datetime.strptime(f"{year}{stamp}", "%Y" + STAMP_FORMAT).replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
        if abs(moment - now) <= window:
            return True
    return False
