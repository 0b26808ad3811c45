"""The gateway client: one method per operation, every transport, typed outcomes (httpx.AsyncClient)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from .. import protocol as p
from ..protocol.boxes import looks_like_html
from ..protocol.pages import page_title
from .errors import (
    ConfigError,
    GatewayRefused,
    InvalidInput,
    UnknownOutcome,
    Unreachable,
)

if TYPE_CHECKING:
    from .config import Profile
    from .secrets import Secret

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """An accepted send: task id, accepted recipients, balance after, the gateway's words, how it went."""

    task_id: str
    success_count: int
    balance: int | float | None
    message: str
    transport: str
    billing_count: int | None = None


class GatewayClient:
    """Talks to one account on one gateway; requests and replies go through smstui.protocol only."""

    def __init__(
        self,
        base_url: str,
        credentials: p.Credentials,
        *,
        transport: str = "xml",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        verify: bool | str = True,
        max_connections: int = 16,
        clock: Callable[[], datetime] = p.beijing_now,
    ) -> None:
        import httpx

        if transport not in p.TRANSPORTS:
            raise InvalidInput(f"unknown transport {transport!r}; use one of {', '.join(p.TRANSPORTS)}")
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.transport = transport
        self.clock = clock
        self.tls_verified = verify is not False
        try:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
                verify=_tls_context(verify, self.base_url),
                limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
                headers={"User-Agent": "smstui"},
            )
        except (OSError, ValueError) as exc:  # an unreadable or invalid ca_bundle
            raise ConfigError(f"cannot set up TLS with ca_bundle {verify!r}: {exc}").words(
                "tls_ca_bundle", bundle=repr(verify), why=exc) from None

    @classmethod
    def for_profile(cls, profile: Profile, password: Secret, **overrides) -> GatewayClient:
        """A client for a configured profile (TLS verification per the profile, custom CA bundle if set)."""
        verify: bool | str = profile.ca_bundle or True
        if not profile.verify_tls:
            verify = False
        options: dict[str, Any] = dict(
            transport=profile.transport,
            connect_timeout=profile.connect_timeout,
            read_timeout=profile.read_timeout,
            verify=verify,
            max_connections=max(profile.concurrency * 2, 4),
        )
        options.update(overrides)
        credentials = p.Credentials(profile.account, password.reveal(), profile.userid)
        return cls(profile.base_url, credentials, **options)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> GatewayClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the wire ---------------------------------------------------------------------------------

    async def post(self, request: p.GatewayRequest, *, keep_partial: bool = False, changes: bool = True) -> bytes:
        """POST a request and return the body; Unreachable if it never left, UnknownOutcome if unclear (for a
        request that `changes` nothing, such as a balance, the words say so). With `keep_partial` the body is read
        as it streams in, so a reply cut short still hands over what arrived (`UnknownOutcome.raw`): the queues
        give a body out once."""
        import httpx

        tail, suffix = ("; the request may have been processed", "") if changes else (
            "; it changes nothing: try again", "_query")

        headers = {
            "Content-Type": request.content_type(),
            **{k: v for k, v in request.headers.items() if k != "Content-Type"},
        }
        url = self.base_url
        received = bytearray()
        try:
            async with self._http.stream(request.method, request.path, content=request.content(),
                                         headers=headers) as response:
                status = response.status_code
                if keep_partial:
                    async for piece in response.aiter_bytes():
                        received += piece
                else:
                    received += await response.aread()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol,
                httpx.LocalProtocolError, httpx.InvalidURL) as exc:  # the request never left
            reason = _reason(exc)
            raise Unreachable(f"cannot reach {url}: {reason}").words("unreachable", url=url, reason=reason) from None
        except httpx.TimeoutException as exc:
            reason = _reason(exc)
            raise UnknownOutcome(f"no reply from {url} in time ({reason}){tail}",
                                 bytes(received)).words("timeout" + suffix, url=url, reason=reason) from None
        except httpx.HTTPError as exc:
            reason = _reason(exc)
            raise UnknownOutcome(f"the connection to {url} broke ({reason}){tail}",
                                 bytes(received)).words("broken" + suffix, url=url, reason=reason) from None
        body = bytes(received)
        if status in (404, 405, 400):
            raise Unreachable(f"HTTP {status} for {request.path}: check the profile's base_url ({url})").words(
                "http_path", status=status, path=request.path, url=url)
        if status >= 500 and not (request.path == p.requests.SOAP_PATH and b"Fault" in body):
            raise UnknownOutcome(f"HTTP {status} from {url}{tail}", body).words(
                "http_error" + suffix, status=status, url=url)
        return body

    async def _exchange(self, request: p.GatewayRequest, parse: Callable[[bytes], R], changes: bool = True) -> R:
        body = await self.post(request, changes=changes)
        try:
            return parse(body)
        except p.GatewayReplyError as exc:
            tail, suffix = ("; the request may have been processed", "") if changes else (
                "; it changes nothing: try again", "_query")
            if looks_like_html(body):  # a proxy's or the web server's page, not the gateway's reply
                page = page_title(body)
                raise UnknownOutcome(f"an HTML page answered, not the gateway ({page}){tail}", body).words(
                    "html_page" + suffix, page=page) from None
            raise UnknownOutcome(f"the gateway's reply could not be read ({exc.reason}): {exc.raw_text(200)}{tail}",
                                 body).words("unreadable" + suffix, reason=exc.reason, raw=exc.raw_text(200)) from None

    # -- sending ----------------------------------------------------------------------------------

    async def send(
        self,
        mobiles: str | Iterable[str],
        content: str,
        send_time: datetime | None = None,
        extno: str = "",
        transport: str | None = None,
    ) -> SendReceipt:
        """Send one content to numbers over a transport (xml, json, gbk, encrypted, soap)."""
        transport = transport or self.transport
        creds = self.credentials
        if transport == "encrypted":
            if not creds.userid.isdigit():
                raise InvalidInput("the encrypted transport needs the numeric userid of the account (profile: userid)"
                                   ).words("encrypted_userid")
            request = _build(p.build_encrypted_send, creds, mobiles, content, self.clock(), send_time, extno)
            reply = await self._exchange(request, p.parse_encrypted_reply)
            if not reply.ok:
                raise GatewayRefused(reply.status_code, reply.description)
            return SendReceipt(reply.msg_id, reply.success_count, reply.amount, reply.description, transport)
        if transport == "soap":
            soap = await self._exchange(
                _build(p.build_soap_send, creds, mobiles, content, send_time, extno), p.parse_soap_send_result
            )
            if not soap.ok:
                info = p.lookup(soap.status_code)
                raise GatewayRefused(info.code if info else None, soap.description, name=soap.status_code)
            return SendReceipt(
                soap.msg_id, soap.success_count, soap.amount, soap.description, transport, soap.billing_count
            )
        if transport not in ("xml", "json", "gbk"):
            raise InvalidInput(f"unknown transport {transport!r}")
        parse = p.parse_send_result_json if transport == "json" else p.parse_send_result
        request = _build(p.build_send, creds, mobiles, content, send_time, extno, transport)
        return _receipt(await self._exchange(request, parse), transport)

    async def send_batch(
        self, rows: Sequence[p.BatchRow], send_time: datetime | None = None, extno: str = ""
    ) -> SendReceipt:
        """A point-to-point send (each number its own content) on BatchSms.ashx."""
        request = _build(p.build_batch_send, self.credentials, rows, send_time, extno)
        return _receipt(await self._exchange(request, p.parse_send_result), "batch")

    async def send_mms(
        self,
        mobiles: str | Iterable[str],
        subject: str,
        package: bytes,
        send_time: datetime | None = None,
        extno: str = "",
    ) -> SendReceipt:
        """An MMS send on mms.aspx with a TMS package."""
        request = _build(p.build_mms_send, self.credentials, mobiles, subject, package, send_time, extno)
        return _receipt(await self._exchange(request, p.parse_send_result), "mms")

    # -- account ----------------------------------------------------------------------------------

    async def balance(self, mms: bool = False, transport: str | None = None) -> p.Balance:
        """The SMS balance (or the MMS balance) of the account."""
        transport = transport or self.transport
        kind = "mms" if mms else (transport if transport in ("xml", "json", "gbk") else "xml")
        parse = p.parse_balance_json if kind == "json" else p.parse_balance
        balance = await self._exchange(_build(p.build_balance, self.credentials, kind), parse, changes=False)
        if not balance.ok:
            raise GatewayRefused(balance.code, balance.message)
        return balance

    async def change_password(self, new_password: str) -> p.PasswordResult:
        """Change the account's password (at most 20 characters); the client then uses the new one."""
        problem = p.check_new_password(new_password)
        if problem:
            raise InvalidInput(problem)
        result = await self._exchange(
            _build(p.build_password_change, self.credentials, new_password), p.parse_password_reply
        )
        if not result.ok:
            raise GatewayRefused(result.code, result.message)
        self.credentials = p.Credentials(self.credentials.account, new_password, self.credentials.userid)
        return result

    # -- queues -----------------------------------------------------------------------------------

    async def query(self, kind: str, fmt: str = "xml", status_num: int = 1000, task_id: str | None = None) -> bytes:
        """One report or uplink query: the body as it came (parsed by whoever stores it, after keeping it)."""
        if kind == "reports":
            request = _build(p.build_reports_query, self.credentials, fmt, status_num, task_id)
        else:
            request = _build(p.build_uplinks_query, self.credentials, fmt)
        return await self.post(request, keep_partial=True)

    # -- templates --------------------------------------------------------------------------------

    async def _template(self, request: p.GatewayRequest, changes: bool = True) -> p.TemplateReply:
        reply = await self._exchange(request, p.parse_template_reply, changes)
        if not reply.ok:
            raise GatewayRefused(reply.status_code, reply.description)
        return reply

    async def add_template(self, text: str) -> str:
        """Submit a template for review; returns its id."""
        return (await self._template(_build(p.build_template_add, self.credentials, text))).template_id

    async def query_templates(self, template_id: str = "") -> list[p.Template]:
        """One template, or all of the account's (empty id)."""
        query = _build(p.build_template_query, self.credentials, template_id)
        return (await self._template(query, changes=False)).templates

    async def update_template(self, template_id: str, text: str) -> None:
        """Change a template's text (it goes back to review)."""
        await self._template(_build(p.build_template_update, self.credentials, template_id, text))

    async def delete_template(self, template_id: str) -> None:
        """Delete a template."""
        await self._template(_build(p.build_template_delete, self.credentials, template_id))


def _tls_context(verify: bool | str, base_url: str):
    """What httpx verifies with: for an http:// gateway a context that trusts nothing (cheap to make, and any
    https redirect would fail closed); else the CA bundle, or certifi's, or nothing when verification is off."""
    import ssl

    if verify is not False and base_url.lower().startswith("http://"):
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if isinstance(verify, str):
        context = ssl.create_default_context(cafile=verify)
        return context
    return verify


def _build(builder: Callable[..., p.GatewayRequest], *args: Any) -> p.GatewayRequest:
    """A request from a protocol builder; what it cannot encode becomes the service's InvalidInput, once, here."""
    try:
        return builder(*args)
    except p.EncodeError as exc:
        raise InvalidInput(str(exc)) from None


def _receipt(result: p.SendResult, transport: str) -> SendReceipt:
    if not result.ok:
        raise GatewayRefused(result.code, result.message)
    return SendReceipt(result.task_id, result.success_count, result.balance, result.message, transport)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
