"""Length in the gateway's unit (UTF-16 code units) and billing segments."""

from __future__ import annotations

SINGLE_SEGMENT = 70
MULTI_SEGMENT = 67
MAX_CONTENT_LENGTH = 500


def text_length(text: str) -> int:
    """Length as the gateway counts it: one per UTF-16 code unit (emoji outside the BMP count 2)."""
    # UTF-16 length = bytes / 2; a lone surrogate (a broken paste) counts as the one unit it is.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def segments(text: str) -> int:
    """Billing segments: 0 for empty, 1 up to 70, else ceil(length / 67)."""
    return segments_for_length(text_length(text))


def segments_for_length(length: int) -> int:
    """Billing segments for a length already counted in UTF-16 units."""
    if length <= 0:
        return 0
    if length <= SINGLE_SEGMENT:
        return 1
    return -(-length // MULTI_SEGMENT)


def normalise_newlines(text: str) -> str:
    """Turn `\\r\\n` and lone `\\r` into `\\n` (a CRLF would count and bill as 2)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
