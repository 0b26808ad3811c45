"""A request's parameters as ASP.NET's Request[] reads them: query and form merged, urlencoded or multipart."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .. import protocol as p

if TYPE_CHECKING:
    from starlette.requests import Request

Pairs = list[tuple[bytes, bytes]]

GBK_NAMES = ("gb2312", "gbk", "gb18030")
# Codecs Python knows that are no charset of a web page: they cannot read arbitrary bytes, or they make text that
# is no text (lone surrogates from escapes).
_NOT_CHARSETS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
_SURROGATES = re.compile("[\ud800-\udfff]")


def request_charset(content_type: str, default: str) -> str:
    """The charset a body is read in: the Content-Type's when it is a usable one (as ASP.NET), else the page's."""
    for piece in content_type.split(";"):
        name, _, value = piece.partition("=")
        if name.strip().lower() == "charset":
            return usable_charset(value.strip("\"' \t").lower(), default)
    return default


def usable_charset(name: str, default: str) -> str:
    """`name` when it is a text encoding that reads any bytes (the GBK family read as GB18030), else `default`."""
    if name in GBK_NAMES:
        return "gb18030"
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):  # unknown, empty, or a NUL in the name
        return default
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return default  # rot13, base64, zlib… are codecs of Python, not charsets
    return info.name


def decode(raw: bytes, charset: str) -> str:
    """Bytes as text in a usable charset; what cannot be read becomes U+FFFD, never an exception."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        text = raw.decode(charset, "replace")
    except (UnicodeError, ValueError, LookupError):  # a codec that refuses `replace` after all
        text = raw.decode("utf-8", "replace")
    return _SURROGATES.sub("\ufffd", text)  # utf-16 and friends can leave halves of a pair


def urlencoded_pairs(raw: bytes) -> Pairs:
    """The name=value pairs of a query string or urlencoded body, unquoted, still bytes."""
    if not raw:
        return []
    # latin-1 maps each byte to one character and back, so raw bytes and %XX escapes both come out as bytes.
    return [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    ]


class _PartReader:
    """Collects the fields of a multipart body; file parts are skipped, as Request[] does not hold files."""

    def __init__(self) -> None:
        self.fields: Pairs = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._data = bytearray()
        self._name: bytes | None = None

    def callbacks(self) -> dict:
        """The parser's callbacks."""
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda data, start, end: self._header_name.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _begin(self) -> None:
        """A part starts: nothing known of it yet."""
        self._disposition, self._name = b"", None
        self._data.clear()

    def _header_end(self) -> None:
        """A header of the part is read: keep its Content-Disposition."""
        if bytes(self._header_name).strip().lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        """The part's headers are read: a field (by name) or a file (skipped)."""
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._disposition)
        self._name = None if b"filename" in options else options.get(b"name")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        """Bytes of the part's body."""
        if self._name is not None:
            self._data.extend(data[start:end])

    def _part_end(self) -> None:
        """The part is read: a field joins the fields."""
        if self._name is not None:
            self.fields.append((self._name, bytes(self._data)))
        self._name = None


def multipart_pairs(body: bytes, content_type: str) -> Pairs:
    """The fields of a multipart/form-data body; a torn or malformed body keeps the fields read before the tear."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary or not body:
        return []
    reader = _PartReader()
    try:
        parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except ValueError:  # python-multipart's FormParserError: what was read so far stands, like ASP.NET's reader
        pass
    return reader.fields


def form_pairs(body: bytes, content_type: str) -> Pairs:
    """The form fields of a body: multipart, urlencoded (or untyped, read as urlencoded), none for XML or JSON."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "multipart/form-data":
        return multipart_pairs(body, content_type)
    if "xml" in kind or "json" in kind:
        return []
    return urlencoded_pairs(body)


def decoded(pairs: Pairs, charset: str) -> list[tuple[str, str]]:
    """Pairs of bytes as text in a charset."""
    return [(decode(name, charset), decode(value, charset)) for name, value in pairs]


def merged(query: Pairs, form: Pairs, charset: str) -> dict[str, str]:
    """Query and form as one mapping (names case-insensitive); UTF-8 that does not read as UTF-8 is read as GBK."""
    params = p.merge_params(decoded(query, charset), decoded(form, charset))
    if charset == "utf-8" and any("\ufffd" in v for v in params.values()):
        params = p.merge_params(decoded(query, "gb18030"), decoded(form, "gb18030"))
    return params


async def read_params(request: Request, encoding: str) -> tuple[dict[str, str], bytes]:
    """The request's parameters, query and form body mixed, names case-insensitive; and the raw body."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    charset = request_charset(content_type, encoding)
    query = urlencoded_pairs(request.scope.get("query_string", b""))
    return merged(query, form_pairs(body, content_type), charset), body
