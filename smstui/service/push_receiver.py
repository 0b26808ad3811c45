"""The push receiver (chapter 6): a public ASGI endpoint that answers `1` only once the data is committed."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from ..protocol import GatewayReplyError
from ..runtime.server import InLoopServer
from .errors import ConfigError
from .ingest import Ingestor

log = logging.getLogger("smstui.service.push")
OK, FAILED = b"1", b"error"
LOUD_REFUSALS, QUIET_INTERVAL = 10, 60.0  # refusals logged one by one, then at most one a minute (with the count)
EXCERPT = 80  # bytes of a refused body the log shows (it is never kept)


def _allowed(host: str, allow: list[str]) -> bool:
    if not allow:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in allow:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def loopback(host: str) -> bool:
    """Whether an address to listen on is this machine's alone (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PushCounts:
    """What the receiver did with the bodies posted to it: stored, refused (not kept), failed to store."""

    stored: int = 0
    refused: int = 0  # not the gateway's push XML, or nothing in it to store: answered 400, never kept
    failed: int = 0  # the gateway's, but the store could not take it (kept while there is room): answered `error`


class PushApp:
    """The receiver as an ASGI app: POST only, body limit, source allow-list, optional secret path token."""

    def __init__(self, ingestor: Ingestor, *, token: str = "", allow: list[str] | None = None,
                 max_body: int = 1_048_576) -> None:
        self.ingestor = ingestor
        self.allow = list(allow or [])
        self.expected_path = "/" + token.strip("/") if token else None
        self.max_body = max_body
        self.counts = PushCounts()
        self._logged_at = -math.inf

    @property
    def guarded(self) -> bool:
        """Whether only some can post: a secret path token or a source allow-list is set."""
        return bool(self.expected_path or self.allow)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        client = (scope.get("client") or ("", 0))[0]
        if not _allowed(client, self.allow):
            return await _answer(send, 403, b"forbidden")
        if self.expected_path is not None and scope["path"].rstrip("/") != self.expected_path:
            return await _answer(send, 404, b"not found")
        if scope["method"] != "POST":
            return await _answer(send, 405, b"POST only")
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_body:
            return await _answer(send, 413, b"too large")
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                return await _answer(send, 413, b"too large")
        try:
            result = await self.ingestor.push_body(bytes(body))
        except GatewayReplyError as exc:  # not the gateway's push: nothing kept, nothing the gateway should retry
            self._refused(client, exc.reason, bytes(body))
            return await _answer(send, 400, f"refused: {exc.reason}".encode())
        except Exception as exc:
            self.counts.failed += 1
            log.warning("push from %s not stored (%s so far): %s", client, f"{self.counts.failed:,}",
                        getattr(exc, "message", None) or repr(exc))
            return await _answer(send, 200, FAILED)
        self.counts.stored += 1
        log.info("push stored: %d new, %d duplicates", result.new, result.duplicates)
        await _answer(send, 200, OK)

    def _refused(self, client: str, reason: str, body: bytes) -> None:
        """Count a refused body and log what was wrong with it (one by one at first, then once a minute)."""
        self.counts.refused += 1
        now = time.monotonic()
        if self.counts.refused > LOUD_REFUSALS and now - self._logged_at < QUIET_INTERVAL:
            return
        self._logged_at = now
        log.warning("push from %s refused (%s refused so far, none kept): %s; %s bytes, starting %r", client,
                    f"{self.counts.refused:,}", reason, f"{len(body):,}", body[:EXCERPT])


async def _answer(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def build_push_app(ingestor: Ingestor, *, token: str = "", allow: list[str] | None = None,
                   max_body: int = 1_048_576) -> PushApp:
    """The receiver as an ASGI app: POST only, body limit, source allow-list, optional secret path token."""
    return PushApp(ingestor, token=token, allow=allow, max_body=max_body)


class PushReceiver:
    """Serves the receiver app on an address, inside the running event loop."""

    def __init__(self, app: PushApp, listen: str) -> None:
        host, colon, port = listen.strip().rpartition(":")
        if not colon or not port.isdigit() or int(port) > 65535:  # port 0: any free one
            raise ConfigError(
                f"push receiver: listen {listen!r} must be HOST:PORT with a port up to 65535, e.g. 0.0.0.0:8090"
            ).words("config_listen", where="push receiver", listen=listen)
        self.host = host.strip("[]") or "127.0.0.1"
        self.port = int(port)
        # proxy_headers off: X-Forwarded-For from a local client must not get round the allow-list
        self.app = app
        self._server = InLoopServer(app, lifespan="off", proxy_headers=False)
        self.url = ""
        self.exposed = False  # listening beyond this machine with neither a token nor an allow-list

    async def start(self) -> str:
        """Start serving; returns the URL to register with the gateway's administrator."""
        try:
            port = await self._server.start(self.host, self.port)
        except OSError as exc:
            raise ConfigError(
                f"push receiver: cannot listen on {self.host}:{self.port} ({exc.strerror or exc})"
            ).words("receiver_listen", address=f"{self.host}:{self.port}", why=exc.strerror or exc) from None
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{port}"
        self.exposed = not loopback(self.host) and not self.app.guarded
        if self.exposed:
            log.warning("the push receiver listens on %s:%s, beyond this machine, with neither a token nor an "
                        "allow-list: anyone who reaches it can post reports and replies into the store (set [push] "
                        "token or allow)", self.host, port)
        return self.url

    async def stop(self) -> None:
        """Stop serving."""
        await self._server.stop()
