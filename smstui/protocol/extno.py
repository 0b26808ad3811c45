"""The extension number (extno): ASCII digits only, at most 5, empty when the channel has none."""

from __future__ import annotations

import re

EXTNO = re.compile(r"[0-9]{0,5}")


def check_extno(extno: str) -> str | None:
    """Why an extno cannot be used, or None when it is fine."""
    if EXTNO.fullmatch(extno):
        return None
    if not (extno.isascii() and extno.isdigit()):
        return f"extno {extno!r} must be digits 0–9 only"
    return f"extno {extno!r} has {len(extno)} digits; at most 5 are allowed"
