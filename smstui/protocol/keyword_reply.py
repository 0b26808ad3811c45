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
    """What checkkeyword answered: clean or not, the words it named, the code of a failure, the text it echoed."""

    ok: bool
    status: str
    message: str
    count: int | None = None
    words: list[str] = field(default_factory=list)
    code: int | None = None
    checked: str | None = None  # the live server's clean reply echoes the checked text in checkCounts; None: no echo

    @property
    def clean(self) -> bool:
        """Whether the gateway found no sensitive word (False also when the check itself was refused)."""
        return self.ok and FOUND_MESSAGE not in self.message


def keyword_check_message(found: list[str]) -> str:
    """The gateway's answer text: `没有包含屏蔽词`, or `包含非法字符：w1,w2`."""
    return f"{FOUND_MESSAGE}：{','.join(found)}" if found else CLEAN_MESSAGE


def keyword_check(found: list[str], fail_word: str = "Faild", content: str | None = None) -> KeywordCheck:
    """The answer to a check of `content` that found these words: success echoing the text, or a failure naming them."""
    if not found:
        return KeywordCheck(True, "Success", CLEAN_MESSAGE, 0, checked=content)
    return KeywordCheck(False, fail_word, keyword_check_message(found), len(found), list(found), 2107)


def _from_fields(fields: dict[str, str], raw: bytes | str) -> KeywordCheck:
    """A KeywordCheck from a reply's fields, in either shape: checkCounts a count, or (clean) the echoed text."""
    ok, status = returnstatus(fields, raw)
    message = fields.get("message", "")
    named = _WORDS.search(message)
    words = [w.strip() for w in named.group(1).split(",") if w.strip()] if named else []
    counts = fields.get("checkcounts")
    count, checked = to_int(counts), None
    if ok and FOUND_MESSAGE not in message and counts is not None and counts != "0":
        count, checked = 0, counts  # the live server's clean reply: nothing found, the text echoed ("0" is the old one)
    return KeywordCheck(ok, status, message, count, words, None if ok else code_for_message(message), checked)


@reply_parser
def parse_check_keyword(raw: bytes | str) -> KeywordCheck:
    """The XML reply of checkkeyword (sms.aspx, smsGBK.aspx)."""
    return _from_fields(fields_of(parse_xml(raw)), raw)


@reply_parser
def parse_check_keyword_json(raw: bytes | str) -> KeywordCheck:
    """The JSON reply of checkkeyword (smsJson.aspx)."""
    return _from_fields(json_fields(parse_json(raw)), raw)


def render_check_keyword(result: KeywordCheck, fmt: str = "xml", encoding: str = "utf-8") -> bytes:
    """The body the gateway sends for checkkeyword; checkCounts echoes the text or counts the words, refused: none."""
    pairs: list[tuple[str, object]] = [("returnstatus", result.status), ("message", result.message)]
    if result.checked is not None:
        pairs.append(("checkCounts", result.checked))
    elif result.count is not None:
        pairs.append(("checkCounts", result.count))
    return render_fields(pairs, fmt, encoding)
