"""A real HTTP server (uvicorn) for an ASGI app inside the running event loop: the simulator and the push receiver."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any, Literal


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
