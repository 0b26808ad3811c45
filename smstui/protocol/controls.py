"""Control characters in a message (NUL, BEL, ESC, DEL, C1): no phone shows them, so none may be sent."""

from __future__ import annotations

import re

# C0 without tab, line feed and carriage return (a message may hold those), DEL, and the C1 range.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)


def control_characters(text: str) -> list[tuple[int, str]]:
    """The control characters of a text with their positions (1 = the first character), in order."""
    if _CONTROLS.search(text) is None:
        return []
    return [(match.start() + 1, match.group()) for match in _CONTROLS.finditer(text)]


def control_name(character: str) -> str:
    """A control character for people: `U+0000 (NUL)`, `U+007F (DEL)`, `U+0085`."""
    code = ord(character)
    name = _NAMES[code] if code < len(_NAMES) else "DEL" if code == 0x7F else ""
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def describe_controls(found: list[tuple[int, str]], limit: int = 5) -> str:
    """Where the control characters are: `U+0000 (NUL) at character 3, U+0007 (BEL) at character 9`."""
    shown = ", ".join(f"{control_name(character)} at character {position}" for position, character in found[:limit])
    return shown + (f" and {len(found) - limit} more" if len(found) > limit else "")


def show_controls(text: str) -> str:
    """A text with its control characters made visible as `\\x00`, so a message never prints them raw."""
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
