"""Shared pytest fixtures."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import pytest_asyncio

import smstui.protocol as p
from smstui.simulator import SimConfig, Simulator

# ======================================================================================================
# Simulator integration fixtures (used by tests/test_simulator_*.py)
#
# Every test gets a REAL Simulator serving on 127.0.0.1 (free port) with a frozen clock and a fixed
# seed, and talks to it over real HTTP with httpx. Per-test settings: `@pytest.mark.sim(**SimConfig
# fields)`, e.g. `@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5])`. Tests without a marker
# share one simulator per module (reset before each test) to keep the suite fast; every simulator test
# module therefore runs in a module-scoped event loop: `pytestmark = pytest.mark.asyncio(loop_scope="module")`.
# ======================================================================================================

SIM_START = "2026-03-01 10:00:00"  # Beijing time
SIM_DEFAULTS: dict[str, Any] = {"clock": "frozen", "start_time": SIM_START, "seed": 1}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sim(**settings): SimConfig fields for the `sim` fixture of this test")


def make_sim_config(**overrides: Any) -> SimConfig:
    """A SimConfig with the suite's defaults (frozen clock at SIM_START, seed 1) and the given overrides."""
    return SimConfig(**{**SIM_DEFAULTS, **overrides})


class SimClient:
    """An httpx client bound to a running simulator, with a few shortcuts around the protocol's builders."""

    def __init__(self, sim: Simulator, http: httpx.AsyncClient) -> None:
        self.sim = sim
        self.http = http

    async def call(self, request: p.GatewayRequest, **kwargs: Any) -> httpx.Response:
        """Send a request exactly as the protocol's builder describes it (method, path, body, headers)."""
        headers = {"Content-Type": request.content_type(), **request.headers}
        return await self.http.request(request.method, request.path, content=request.content(), headers=headers, **kwargs)

    async def send(self, creds: p.Credentials, mobiles: str, content: str, **kwargs: Any) -> p.SendResult:
        """An XML send on sms.aspx, parsed."""
        response = await self.call(p.build_send(creds, mobiles, content, **kwargs))
        assert response.status_code == 200, response.text
        return p.parse_send_result(response.content)

    async def balance(self, creds: p.Credentials) -> int:
        """The account's balance as the gateway reports it on sms.aspx."""
        result = p.parse_balance((await self.call(p.build_balance(creds))).content)
        assert result.ok, result
        assert result.balance is not None
        return result.balance

    async def reports(self, creds: p.Credentials, **kwargs: Any) -> list[p.Report]:
        """One report query (XML), asserting it succeeded."""
        reply = p.parse_reports((await self.call(p.build_reports_query(creds, **kwargs))).content)
        assert reply.ok, reply
        return reply.items

    async def drain_reports(self, creds: p.Credentials, **kwargs: Any) -> list[p.Report]:
        """Poll the report queue until an empty answer; everything it gave."""
        everything: list[p.Report] = []
        for _ in range(1000):
            batch = await self.reports(creds, **kwargs)
            if not batch:
                return everything
            everything.extend(batch)
        raise AssertionError("the report queue never ran empty")

    async def uplinks(self, creds: p.Credentials) -> list[p.Uplink]:
        """One uplink query (XML), asserting it succeeded."""
        reply = p.parse_uplinks((await self.call(p.build_uplinks_query(creds))).content)
        assert reply.ok, reply
        return reply.items

    async def state(self) -> dict[str, Any]:
        """GET /_sim/state."""
        response = await self.http.get("/_sim/state")
        assert response.status_code == 200
        return response.json()


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
