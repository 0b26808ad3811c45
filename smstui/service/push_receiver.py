"""The push receiver (chapter 6): a public ASGI endpoint that answers `1` only once the data is committed."""

from __future__ import annotations

import ipaddress
import logging

from ..runtime.server import InLoopServer
from .errors import ConfigError
from .ingest import Ingestor

log = logging.getLogger("smstui.service.push")
OK, FAILED = b"1", b"error"


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


def build_push_app(ingestor: Ingestor, *, token: str = "", allow: list[str] | None = None, max_body: int = 1_048_576):
    """The receiver as an ASGI app: POST only, body limit, source allow-list, optional secret path token."""
    allow = list(allow or [])
    expected_path = "/" + token.strip("/") if token else None

    async def send_plain(send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def app(scope, receive, send) -> None:
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
        client = scope.get("client") or ("", 0)
        if not _allowed(client[0], allow):
            return await send_plain(send, 403, b"forbidden")
        if expected_path is not None and scope["path"].rstrip("/") != expected_path:
            return await send_plain(send, 404, b"not found")
        if scope["method"] != "POST":
            return await send_plain(send, 405, b"POST only")
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > max_body:
            return await send_plain(send, 413, b"too large")
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > max_body:
                return await send_plain(send, 413, b"too large")
        if b"returnsms" not in body.lower():  # not the gateway's XML at all: nothing to keep, nothing to retry
            return await send_plain(send, 400, b"not a push of the gateway")
        try:
            result = await ingestor.push_body(bytes(body))
        except Exception as exc:
            log.warning("push not accepted: %s", getattr(exc, "message", None) or exc)
            return await send_plain(send, 200, FAILED)
        log.info("push stored: %d new, %d duplicates", result.new, result.duplicates)
        await send_plain(send, 200, OK)

    return app


class PushReceiver:
    """Serves the receiver app on an address, inside the running event loop."""

    def __init__(self, app, listen: str) -> None:
        host, colon, port = listen.strip().rpartition(":")
        if not colon or not port.isdigit() or int(port) > 65535:  # port 0: any free one
            raise ConfigError(
                f"push receiver: listen {listen!r} must be HOST:PORT with a port up to 65535, e.g. 0.0.0.0:8090"
            )
        self.host = host.strip("[]") or "127.0.0.1"
        self.port = int(port)
        # proxy_headers off: X-Forwarded-For from a local client must not get round the allow-list
        self._server = InLoopServer(app, lifespan="off", proxy_headers=False)
        self.url = ""

    async def start(self) -> str:
        """Start serving; returns the URL to register with the gateway's administrator."""
        try:
            port = await self._server.start(self.host, self.port)
        except OSError as exc:
            raise ConfigError(
                f"push receiver: cannot listen on {self.host}:{self.port} ({exc.strerror or exc})"
            ) from None
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving."""
        await self._server.stop()
