"""The undocumented sensitive-word check (`action=checkkeyword`, docs/protocol.md §12): its reply, read and written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .codes import code_for_message
from .wire import (
    fields_of,
    json_fields,
    parse_json,
    parse_xml,
    render_fields,
    reply_parser,
    returnstatus,
    to_int,
)

CLEAN_MESSAGE = "没有包含屏蔽词"
FOUND_MESSAGE = "包含非法字符"
_WORDS = re.compile(rf"{FOUND_MESSAGE}\s*[：:]\s*(.*)", re.S)


@dataclass(frozen=True, slots=True)
class KeywordCheck:
    """What checkkeyword answered: clean or not, the words it named, and the code of a failure."""

    ok: bool
    status: str
    message: str
    count: int | None = None
    words: list[str] = field(default_factory=list)
    code: int | None = None

    @property
    def clean(self) -> bool:
        """Whether the gateway found no sensitive word (False also when the check itself was refused)."""
        return self.ok and FOUND_MESSAGE not in self.message


def keyword_check_message(found: list[str]) -> str:
    """The gateway's answer text: `没有包含屏蔽词`, or `包含非法字符：w1,w2`."""
    return f"{FOUND_MESSAGE}：{','.join(found)}" if found else CLEAN_MESSAGE


def keyword_check(found: list[str], fail_word: str = "Faild") -> KeywordCheck:
    """The gateway's answer to a check that found these words: success when none, else a failure naming them."""
    return KeywordCheck(not found, fail_word if found else "Success", keyword_check_message(found), len(found),
                        list(found), 2107 if found else None)


def _from_fields(fields: dict[str, str], raw: bytes | str) -> KeywordCheck:
    ok, status = returnstatus(fields, raw)
    message = fields.get("message", "")
    named = _WORDS.search(message)
    words = [w.strip() for w in named.group(1).split(",") if w.strip()] if named else []
    return KeywordCheck(ok, status, message, to_int(fields.get("checkcounts")), words,
                        None if ok else code_for_message(message))


@reply_parser
def parse_check_keyword(raw: bytes | str) -> KeywordCheck:
    """The XML reply of checkkeyword (sms.aspx, smsGBK.aspx)."""
    return _from_fields(fields_of(parse_xml(raw)), raw)


@reply_parser
def parse_check_keyword_json(raw: bytes | str) -> KeywordCheck:
    """The JSON reply of checkkeyword (smsJson.aspx)."""
    return _from_fields(json_fields(parse_json(raw)), raw)


def render_check_keyword(result: KeywordCheck, fmt: str = "xml", encoding: str = "utf-8") -> bytes:
    """The body the gateway sends for checkkeyword; a refused check carries no checkCounts."""
    pairs: list[tuple[str, object]] = [("returnstatus", result.status), ("message", result.message)]
    if result.count is not None:
        pairs.append(("checkCounts", result.count))
    return render_fields(pairs, fmt, encoding)
