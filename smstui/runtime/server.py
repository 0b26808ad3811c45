"""A real HTTP server (uvicorn) for an ASGI app inside the running event loop: the simulator and the push receiver."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import socket
from typing import Any, Literal

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


class InLoopServer:
    """Serves an ASGI app on an address from inside the current event loop; the host program keeps its signals."""

    def __init__(self, app: Any, *, lifespan: Literal["auto", "on", "off"] = "on", **options: Any) -> None:
        self.app = app
        self.lifespan = lifespan
        self.options = options  # more uvicorn.Config settings, e.g. ssl_certfile and ssl_keyfile
        self._server: Any = None
        self._task: asyncio.Task | None = None

    async def start(self, host: str, port: int) -> int:
        """Bind and serve; returns the port (a free one when `port` is 0)."""
        import uvicorn

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP; without it
        # every reply written in two parts (headers, body) waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            sock.close()
            raise
        # log_config=None: uvicorn leaves logging alone, so the host program decides where warnings go.
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan=self.lifespan,
            timeout_graceful_shutdown=1,
            **self.options,
        )
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # the host program owns signals
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                await self._task
                raise OSError(f"the server on {host}:{port} stopped during start-up")
            await asyncio.sleep(0.01)
        return sock.getsockname()[1]

    async def stop(self) -> None:
        """Stop serving and wait for the server to close."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._server = self._task = None


def encode_raw_target(head: bytes) -> bytes | None:
    """The request head with the bytes >= 0x80 of its request line's target percent-encoded; None when it has none."""
    # IIS takes raw UTF-8 (or GBK) in a target, as old PHP clients send it; h11 refuses any byte above 0x7E there.
    # Only bytes >= 0x80 of the target change: a raw space or control byte is refused as before.
    end = head.find(b"\n")
    line = head[:end]
    if end < 0 or line.isascii():
        return None  # h11 reads no request line before it is whole, and one in ASCII needs nothing
    first, last = line.find(b" "), line.rfind(b" ")
    if last <= first:
        return None
    target = _HIGH_BYTE.sub(lambda byte: b"%%%02X" % byte.group()[0], line[first + 1 : last])
    return head[: first + 1] + target + head[last:]


@functools.cache
def iis_target_protocol() -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol (the `http` setting) reading raw bytes >= 0x80 in a request target as IIS does."""
    import h11
    from uvicorn.protocols.http.h11_impl import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, H11Protocol

    class TargetEncodingConnection:
        """An h11 server connection that percent-encodes raw bytes >= 0x80 in each request target before reading it."""

        def __init__(self, max_size: int) -> None:
            self._max_size = max_size
            self._conn = h11.Connection(h11.SERVER, max_size)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

        def next_event(self) -> Any:
            """h11's next event; a new request's line is encoded first (a fresh connection reads the encoded bytes)."""
            if self._conn.their_state is h11.IDLE:
                data, closed = self._conn.trailing_data
                encoded = encode_raw_target(data)
                if encoded is not None:  # between two requests a fresh connection is the same as the old one
                    self._conn = h11.Connection(h11.SERVER, self._max_size)
                    self._conn.receive_data(encoded)
                    if closed:
                        self._conn.receive_data(b"")
            return self._conn.next_event()

    class IisTargetH11Protocol(H11Protocol):
        """H11Protocol over a TargetEncodingConnection."""

        def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(config, *args, **kwargs)
            self.conn = TargetEncodingConnection(  # type: ignore[assignment]
                config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
            )

    return IisTargetH11Protocol
