"""Web pages that answer instead of the gateway (a proxy's or the web server's error page): what they say."""

from __future__ import annotations

import html
import re

_TITLE = re.compile(rb"<(title|h1)[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def page_title(body: bytes) -> str:
    """The title (or first heading) of an HTML page, short and plain; `an untitled page` without one."""
    found = _TITLE.search(body[:8192])
    if not found:
        return "an untitled page"
    text = html.unescape(_TAGS.sub("", found.group(2).decode("utf-8", "replace")))
    return " ".join(text.split())[:80] or "an untitled page"
