"""Simulator integration fixtures.

Every test gets a REAL Simulator serving on 127.0.0.1 (free port) with a frozen clock and a fixed seed, and talks to
it over real HTTP with httpx. Per-test settings: `@pytest.mark.sim(**SimConfig fields)`, e.g.
`@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5])`. Tests without a marker share one simulator per module
(reset before each test) to keep the suite fast; every simulator test module therefore runs in a module-scoped
event loop: `pytestmark = pytest.mark.asyncio(loop_scope="module")`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio
from support.simulators import SimClient, make_sim_config

from smstui.simulator import Simulator


class _SimPool:
    """The simulators of one test module: the shared default one, and the fresh ones still stopping."""

    def __init__(self) -> None:
        self.shared: Simulator | None = None
        self.stopping: list[asyncio.Task] = []


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def _sim_pool():
    """Stops every simulator of the module at its end (the module's event loop runs all along)."""
    pool = _SimPool()
    yield pool
    await asyncio.gather(*pool.stopping)
    if pool.shared is not None:
        await pool.shared.stop()


@pytest_asyncio.fixture(loop_scope="module")
async def sim(request: pytest.FixtureRequest, _sim_pool: _SimPool):
    """A running simulator.

    Without a `sim` marker: the module's shared default simulator, put back to its initial state with
    `reset()` (accounts, balances, tasks, queues, faults; the frozen clock keeps its time, so such tests
    only rely on time relative to `sim.now()`). With a marker (even an empty one): a fresh simulator with
    those settings, started at SIM_START; it is told to stop after the test and finishes stopping in the
    background while the next tests run (uvicorn's shutdown takes ~0.2 s), awaited at the module's end.
    """
    marker = request.node.get_closest_marker("sim")
    if marker is None:
        if _sim_pool.shared is None:
            _sim_pool.shared = Simulator(make_sim_config())
            await _sim_pool.shared.start()
        else:
            _sim_pool.shared.reset()
        yield _sim_pool.shared
        return
    simulator = Simulator(make_sim_config(**marker.kwargs))
    await simulator.start()
    try:
        yield simulator
    finally:
        _sim_pool.stopping.append(asyncio.create_task(simulator.stop()))


@pytest_asyncio.fixture(loop_scope="module")
async def api(sim: Simulator):
    """An httpx client on the simulator's base URL, wrapped in SimClient."""
    async with httpx.AsyncClient(base_url=sim.url, timeout=5.0) as http:
        yield SimClient(sim, http)


@dataclass
class RawReply:
    """An HTTP reply as it came off the socket."""

    status: int
    headers: dict[str, str]
    body: bytes
    rest: bytes = b""  # what came after this reply (the next reply on a keep-alive connection)

    def following(self) -> RawReply:
        """The reply that came after this one on the connection."""
        return parse_raw_reply(self.rest)


async def raw_exchange(url: str, request: bytes, timeout: float = 5.0) -> RawReply:
    """Send bytes exactly as given (no encoding, no checks) and read the reply until the server closes."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(request)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    return parse_raw_reply(data)


def parse_raw_reply(data: bytes) -> RawReply:
    """The last reply in `data` (after any `100 Continue`), its body cut to its Content-Length."""
    while data.startswith(b"HTTP/1.1 100"):
        data = data.split(b"\r\n\r\n", 1)[1]
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    rest = b""
    if "content-length" in headers:
        body, rest = body[: int(headers["content-length"])], body[int(headers["content-length"]) :]
    return RawReply(int(status_line.split()[1]), headers, body, rest)


@pytest.fixture
def raw(sim: Simulator):
    """`await raw(b"GET /… HTTP/1.1\\r\\n…")`: bytes straight onto a socket to the simulator (or `url`), parsed."""

    async def exchange(request: bytes, timeout: float = 5.0, url: str = "") -> RawReply:
        return await raw_exchange(url or sim.url, request, timeout)

    return exchange
