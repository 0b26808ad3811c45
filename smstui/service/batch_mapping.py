"""Which column of a batch file holds the numbers, which the messages, which the values of merge fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .. import protocol as p
from .errors import InvalidInput

MOBILE, CONTENT, VARIABLE = "mobile", "content", "variable"
ROLES = (MOBILE, CONTENT, VARIABLE)
# How --map names a role, in either language.
ROLE_WORDS = {
    "mobile": MOBILE, "number": MOBILE, "phone": MOBILE, "手机": MOBILE, "手机号": MOBILE, "手机号码": MOBILE,
    "号码": MOBILE, "content": CONTENT, "text": CONTENT, "message": CONTENT, "内容": CONTENT, "短信": CONTENT,
    "短信内容": CONTENT, "variable": VARIABLE, "var": VARIABLE, "field": VARIABLE, "变量": VARIABLE, "字段": VARIABLE,
}
SAMPLE_ROWS = 50  # rows looked at to find the numbers' column by its cells
NUMBERS_SHARE = 0.6  # a column is the numbers' when at least this share of its sampled cells are mobile numbers

# Header names as compared: lower case, without spaces, `_`, `-`, `.`, `:`, `*` and brackets (`Phone No.` → phoneno).
MOBILE_HEADERS = frozenset({
    "mobile", "mobileno", "mobilenumber", "mobilephone", "phone", "phoneno", "phonenumber", "number", "tel",
    "telephone", "cellphone", "msisdn", "手机", "手机号", "手机号码", "号码", "电话", "电话号码", "联系电话", "手機",
    "手機號", "手機號碼", "號碼", "電話", "電話號碼",
})
CONTENT_HEADERS = frozenset({
    "content", "text", "message", "msg", "sms", "body", "内容", "短信", "短信内容", "发送内容", "消息", "消息内容",
    "正文", "內容", "簡訊", "簡訊內容", "短信內容", "訊息",
})
_NOISE = re.compile(r"[\s_\-.:：*()（）\[\]【】]")
_LETTERS = re.compile(r"[A-Za-z]{1,2}")


def header_key(cell: str) -> str:
    """A header cell as compared with the known names: lower case, without spaces, punctuation and brackets."""
    return _NOISE.sub("", cell).lower()


def column_letter(index: int) -> str:
    """A column as a spreadsheet names it: A, B, …, Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """The role of every column (mobile, content, variable), and why a person should look when smstui is unsure."""

    roles: tuple[str, ...]
    doubts: tuple[str, ...] = ()  # mobile_ambiguous, mobile_unnamed, mobile_absent, content_ambiguous, content_absent

    @property
    def mobile(self) -> int | None:
        """The numbers' column (0 = the first), if any."""
        return self.roles.index(MOBILE) if MOBILE in self.roles else None

    @property
    def content(self) -> int | None:
        """The messages' column, if any (a template may give the messages instead)."""
        return self.roles.index(CONTENT) if CONTENT in self.roles else None

    def unsure(self, template: bool = False) -> tuple[str, ...]:
        """What smstui is unsure of (the mapping step asks): with a template the messages need no column."""
        return tuple(d for d in self.doubts if not (template and d.startswith("content_")))

    def with_role(self, column: int, role: str) -> ColumnMap:
        """The same map with one column's role set; a column that had that role (mobile, content) becomes a variable.
        What the user sets is no longer in doubt; a role the change leaves to no column is."""
        if role not in ROLES:
            raise ValueError(f"not a role: {role!r}")
        roles = list(self.roles) + [VARIABLE] * max(0, column + 1 - len(self.roles))
        if role != VARIABLE:
            roles = [VARIABLE if r == role else r for r in roles]
        roles[column] = role
        doubts = [d for d in self.doubts if not (role != VARIABLE and d.startswith(f"{role}_"))]
        for needed in (MOBILE, CONTENT):
            if needed not in roles and f"{needed}_absent" not in doubts:
                doubts = [d for d in doubts if not d.startswith(f"{needed}_")] + [f"{needed}_absent"]
        return replace(self, roles=tuple(roles), doubts=tuple(doubts))

    def settled(self) -> ColumnMap:
        """The same map, its doubts set aside (the user looked at it and kept it)."""
        return replace(self, doubts=() if self.mobile is not None else ("mobile_absent",))


def column_names(header: Sequence[str], width: int) -> list[str]:
    """What each column is called: its header, else its letter (A, B, …)."""
    return [(header[i].strip() if i < len(header) else "") or column_letter(i) for i in range(width)]


def auto_map(header: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> ColumnMap:
    """The columns as the header names them (synonyms, ignoring case, spaces, `_` and `-`), else as the cells show."""
    width = max(width, len(header), 1)
    keys = [header_key(cell) for cell in header]
    named_mobile = [i for i, key in enumerate(keys) if key in MOBILE_HEADERS]
    named_content = [i for i, key in enumerate(keys) if key in CONTENT_HEADERS and i not in named_mobile]
    scores = _number_shares(rows, width)
    doubts: list[str] = []
    mobile: int | None
    if len(named_mobile) == 1:
        mobile = named_mobile[0]
    elif named_mobile:
        mobile = max(named_mobile, key=lambda i: (scores[i], -i))
        doubts.append("mobile_ambiguous")
    else:
        best = max(range(width), key=lambda i: (scores[i], -i))
        mobile = best if scores[best] >= NUMBERS_SHARE else None
        if mobile is None:
            doubts.append("mobile_absent")
        elif header:
            doubts.append("mobile_unnamed")
    content: int | None = None
    if named_content:
        content = named_content[0]
        if len(named_content) > 1:
            doubts.append("content_ambiguous")
    elif not header:
        content = next((i for i in range(width) if i != mobile), None)
    if content is None:
        doubts.append("content_absent")
    roles = [VARIABLE] * width
    if mobile is not None:
        roles[mobile] = MOBILE
    if content is not None:
        roles[content] = CONTENT
    return ColumnMap(tuple(roles), tuple(doubts))


def _number_shares(rows: Sequence[Sequence[str]], width: int) -> list[float]:
    """For each column, the share of the first sampled rows whose cell there is a mobile number."""
    sample = [row for row in rows[:SAMPLE_ROWS] if any(str(cell).strip() for cell in row)]
    if not sample:
        return [0.0] * width
    hits = [0] * width
    for row in sample:
        for i, cell in enumerate(row[:width]):
            if p.normalise_mobile(str(cell)) is not None:
                hits[i] += 1
    return [hit / len(sample) for hit in hits]


def find_column(name: str, header: Sequence[str], width: int) -> int:
    """The column a person names: its header (ignoring case, spaces, `_`, `-`), its number (1 = the first) or its
    letter (A); InvalidInput naming the columns there are."""
    wanted = header_key(name)
    found = [i for i, cell in enumerate(header) if header_key(cell) == wanted and wanted]
    if len(found) == 1:
        return found[0]
    names = ", ".join(column_names(header, width))
    if len(found) > 1:
        raise InvalidInput(f"{name!r} names {len(found)} columns ({', '.join(str(i + 1) for i in found)}): use the "
                           "column's number or letter").words("batch_column_twice", name=name, names=names)
    index = column_by_place(name, width)
    if index is not None:
        return index
    raise InvalidInput(f"no column {name!r}: the columns are {names}").words("batch_no_column", name=name,
                                                                             names=names)


def column_by_place(name: str, width: int) -> int | None:
    """The column a number (1 = the first) or a letter (A) names, if there is one so far right."""
    text = name.strip()
    if text.isdigit() and 1 <= int(text) <= width:
        return int(text) - 1
    if _LETTERS.fullmatch(text):
        index = 0
        for letter in text.upper():
            index = index * 26 + ord(letter) - 64
        if index - 1 < width:
            return index - 1
    return None


def apply_options(mapping: ColumnMap, options: Sequence[str], header: Sequence[str], width: int) -> ColumnMap:
    """`COLUMN=ROLE` options (`--map 客户电话=mobile`) applied in order; InvalidInput for a bad column or role."""
    for option in options:
        name, equals, role = option.rpartition("=")
        if not equals or not name.strip():
            raise InvalidInput(f"--map {option!r}: write COLUMN=ROLE, e.g. 手机号码=mobile").words(
                "batch_map_form", option=option)
        chosen = ROLE_WORDS.get(role.strip().lower())
        if chosen is None:
            raise InvalidInput(f"--map {option!r}: the role is mobile, content or variable").words(
                "batch_map_role", option=option)
        mapping = mapping.with_role(find_column(name, header, width), chosen)
    return mapping
