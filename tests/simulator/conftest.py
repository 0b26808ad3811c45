"""Simulator integration fixtures.

Every test gets a REAL Simulator serving on 127.0.0.1 (free port) with a frozen clock and a fixed seed, and talks to
it over real HTTP with httpx. Per-test settings: `@pytest.mark.sim(**SimConfig fields)`, e.g.
`@pytest.mark.sim(delivered_ratio=1.0, report_delay=[5, 5])`. Tests without a marker share one simulator per module
(reset before each test) to keep the suite fast; every simulator test module therefore runs in a module-scoped
event loop: `pytestmark = pytest.mark.asyncio(loop_scope="module")`.
"""

from __future__ import annotations

import asyncio

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
