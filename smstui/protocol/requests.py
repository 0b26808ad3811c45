"""Every request of the document: path, method and exact form fields (or the SOAP envelope)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import quote_plus

from .auth import make_secret, make_stamp, md5_upper
from .batch import BatchRow, encode_batch
from .beijing import format_send_time
from .content import describe_characters, unencodable
from .errors import EncodeError
from .soap import SOAP_ACTION, build_soap_envelope, content_type
from .text64 import encode_text64

Transport = Literal["xml", "json", "gbk", "encrypted", "soap"]
TRANSPORTS: tuple[str, ...] = ("xml", "json", "gbk", "encrypted", "soap")
SEND_PATHS = {"xml": "/sms.aspx", "json": "/smsJson.aspx", "gbk": "/smsGBK.aspx"}
ENCRYPTED_PATH = "/ensms.ashx"
BATCH_PATH = "/BatchSms.ashx"
MMS_PATH = "/mms.aspx"
SOAP_PATH = "/WebService.asmx"
REPORT_PATHS = {"xml": "/statusApi.aspx", "json": "/statusJsonApi.aspx"}
UPLINK_PATHS = {"xml": "/callApi.aspx", "json": "/callJsonApi.aspx"}
PASSWORD_PATH = "/pwd.aspx"
TEMPLATE_PATH = "/freeTemplate.aspx"
DEFAULT_STATUS_NUM = 1000
_SECRET_FIELDS = {"password", "newpassword", "text64"}


@dataclass(frozen=True, slots=True)
class Credentials:
    """An account as the requests need it: enterprise id, account name, plain password."""

    account: str
    password: str = field(repr=False)
    userid: str = ""


@dataclass(frozen=True, slots=True)
class GatewayRequest:
    """One HTTP request to the gateway: method, path, form fields in order, or a raw body."""

    path: str
    fields: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    encoding: str = "utf-8"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        """The request without its secrets: password, new password and Text64 masked, a raw body only sized."""
        shown = {k: "***" if k.lower() in _SECRET_FIELDS and v else v for k, v in self.fields.items()}
        body = "None" if self.body is None else f"<{len(self.body)} bytes>"
        return (f"GatewayRequest(path={self.path!r}, fields={shown!r}, method={self.method!r}, "
                f"encoding={self.encoding!r}, body={body}, headers={self.headers!r})")

    def form_body(self) -> bytes:
        """The url-encoded form body in the request's encoding (GBK for smsGBK.aspx), as urlencode writes it."""
        return "&".join(f"{_quote(k, self.encoding)}={_quote(v, self.encoding)}" for k, v in self.fields.items()
                        ).encode("ascii")

    def content(self) -> bytes:
        """The bytes to POST."""
        return self.body if self.body is not None else self.form_body()

    def content_type(self) -> str:
        """The Content-Type header value."""
        if "Content-Type" in self.headers:
            return self.headers["Content-Type"]
        return f"application/x-www-form-urlencoded; charset={self.encoding}"


_PLAIN = re.compile(r"[A-Za-z0-9_.~,-]*")


def _quote(text: str, encoding: str) -> str:
    """quote_plus, with a shortcut for digits and commas (a list of 1,000 numbers costs quote_plus 1.6 ms)."""
    if _PLAIN.fullmatch(text):
        return text.replace(",", "%2C")
    return quote_plus(text, encoding=encoding)


def _common(creds: Credentials, action: str | None) -> dict[str, str]:
    _encodable({"account": creds.account, "userid": creds.userid, "password": creds.password})
    fields = {"userid": creds.userid, "account": creds.account, "password": md5_upper(creds.password)}
    if action is not None:
        fields["action"] = action
    return fields


def _encodable(fields: Mapping[str, str], encoding: str = "utf-8") -> None:
    """EncodeError naming the first field the encoding cannot carry (a lone surrogate; for GBK, emoji too)."""
    for name, value in fields.items():
        try:
            value.encode(encoding)
        except UnicodeEncodeError:
            bad = describe_characters(unencodable(value, encoding))
            raise EncodeError(f"{bad} cannot be sent ({encoding}); retype or remove it", name) from None


def _request(path: str, fields: dict[str, str], encoding: str = "utf-8") -> GatewayRequest:
    _encodable(fields, encoding)
    return GatewayRequest(path, fields, encoding=encoding)


def _mobiles(mobiles: str | Iterable[str]) -> str:
    return mobiles if isinstance(mobiles, str) else ",".join(mobiles)


def build_send(
    creds: Credentials,
    mobiles: str | Iterable[str],
    content: str,
    send_time: datetime | None = None,
    extno: str = "",
    transport: Literal["xml", "json", "gbk"] = "xml",
) -> GatewayRequest:
    """A send on sms.aspx, smsJson.aspx or smsGBK.aspx (GBK form body; EncodeError if the text does not fit GBK)."""
    if transport == "gbk" and (bad := unencodable(content, "gbk")):
        raise EncodeError(f"{describe_characters(bad)} cannot be sent over GBK; use the xml or json transport",
                          "content")
    fields = _common(creds, "send")
    fields.update(mobile=_mobiles(mobiles), content=content, sendTime=format_send_time(send_time), extno=extno)
    return _request(SEND_PATHS[transport], fields, "gbk" if transport == "gbk" else "utf-8")


def build_encrypted_send(
    creds: Credentials,
    mobiles: str | Iterable[str],
    content: str,
    now: datetime,
    send_time: datetime | None = None,
    extno: str = "",
) -> GatewayRequest:
    """A send on ensms.ashx: numeric UserId and the DES-encrypted Text64."""
    _encodable({"account": creds.account, "password": creds.password})
    stamp = make_stamp(now)
    text64 = encode_text64(
        {
            "UserName": creds.account,
            "Secret": make_secret(creds.password, stamp),
            "Stamp": stamp,
            "Moblie": _mobiles(mobiles),
            "Text": content,
            "Ext": extno,
            "SendTime": format_send_time(send_time),
        },
        creds.password,
    )
    return GatewayRequest(ENCRYPTED_PATH, {"UserId": creds.userid, "Text64": text64})


def build_soap_send(
    creds: Credentials,
    mobiles: str | Iterable[str],
    content: str,
    send_time: datetime | None = None,
    extno: str = "",
) -> GatewayRequest:
    """A SendSms call on WebService.asmx (SOAP 1.1, plain password)."""
    _encodable(
        {
            "account": creds.account,
            "password": creds.password,
            "mobile": _mobiles(mobiles),
            "content": content,
            "extno": extno,
        }
    )
    body = build_soap_envelope(
        creds.account, creds.password, _mobiles(mobiles), content, format_send_time(send_time, soap=True), extno
    )
    headers = {"Content-Type": content_type("1.1"), "SOAPAction": f'"{SOAP_ACTION}"'}
    return GatewayRequest(SOAP_PATH, body=body, headers=headers)


def build_batch_send(
    creds: Credentials,
    rows: Iterable[BatchRow | tuple[str, str]],
    send_time: datetime | None = None,
    extno: str = "",
) -> GatewayRequest:
    """A point-to-point send on BatchSms.ashx (POST only)."""
    fields = _common(creds, "send")
    fields.update(content=encode_batch(rows), sendTime=format_send_time(send_time), extno=extno)
    return _request(BATCH_PATH, fields)


def build_mms_send(
    creds: Credentials,
    mobiles: str | Iterable[str],
    subject: str,
    package: bytes,
    send_time: datetime | None = None,
    extno: str = "",
) -> GatewayRequest:
    """An MMS send on mms.aspx: subject and the base64 TMS package."""
    import base64

    fields = _common(creds, "send")
    fields.update(
        mobile=_mobiles(mobiles),
        subject=subject,
        content=base64.b64encode(package).decode("ascii"),
        sendTime=format_send_time(send_time),
        extno=extno,
    )
    return _request(MMS_PATH, fields)


def build_balance(creds: Credentials, transport: Literal["xml", "json", "gbk", "mms"] = "xml") -> GatewayRequest:
    """A balance query (`action=overage`); `mms` asks for the MMS balance."""
    path = MMS_PATH if transport == "mms" else SEND_PATHS[transport]
    return GatewayRequest(path, _common(creds, "overage"), encoding="gbk" if transport == "gbk" else "utf-8")


def build_reports_query(
    creds: Credentials,
    transport: Literal["xml", "json"] = "xml",
    status_num: int = DEFAULT_STATUS_NUM,
    task_id: str | None = None,
) -> GatewayRequest:
    """A delivery report query: up to statusNum reports not returned before, optionally of one task."""
    fields = _common(creds, "query")
    fields["statusNum"] = str(status_num)
    if task_id:
        fields["taskid"] = task_id
    return GatewayRequest(REPORT_PATHS[transport], fields)


def build_uplinks_query(creds: Credentials, transport: Literal["xml", "json"] = "xml") -> GatewayRequest:
    """An uplink (reply) query."""
    return GatewayRequest(UPLINK_PATHS[transport], _common(creds, "query"))


def build_password_change(creds: Credentials, new_password: str) -> GatewayRequest:
    """A password change on pwd.aspx (old password in MD5 form, new one plain)."""
    fields = _common(creds, None)
    fields["newpassword"] = new_password
    return _request(PASSWORD_PATH, fields)


def build_template_add(creds: Credentials, template: str) -> GatewayRequest:
    """Submit a template for review."""
    return _request(TEMPLATE_PATH, {**_common(creds, "Add"), "template": template})


def build_template_query(creds: Credentials, template_id: str = "") -> GatewayRequest:
    """Query one template (or all, with an empty id)."""
    return GatewayRequest(TEMPLATE_PATH, {**_common(creds, "query"), "templateid": template_id})


def build_template_update(creds: Credentials, template_id: str, template: str) -> GatewayRequest:
    """Change a template's text (it goes back to review)."""
    return _request(TEMPLATE_PATH, {**_common(creds, "update"), "templateid": template_id, "template": template})


def build_template_delete(creds: Credentials, template_id: str) -> GatewayRequest:
    """Delete a template."""
    return GatewayRequest(TEMPLATE_PATH, {**_common(creds, "del"), "templateid": template_id})


def build_check_keyword(
    creds: Credentials, content: str, transport: Literal["xml", "json", "gbk"] = "xml"
) -> GatewayRequest:
    """The undocumented sensitive-word check (`action=checkkeyword`, docs/protocol.md §12) of a content."""
    fields = {**_common(creds, "checkkeyword"), "content": content}
    return _request(SEND_PATHS[transport], fields, "gbk" if transport == "gbk" else "utf-8")


def merge_params(*sources: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    """Request parameters with case-insensitive names, query and body mixed (later sources win)."""
    merged: dict[str, str] = {}
    for source in sources:
        items = source.items() if isinstance(source, Mapping) else source
        for name, value in items:
            merged[name.lower()] = value
    return merged
