"""Helpers for the service tests: an SmsService on a real simulator over HTTP, with its own store."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest_asyncio

from smstui.service import AppConfig, Profile, Secret, SmsService
from smstui.simulator import Simulator

DEMO = {"account": "demo", "userid": "1001", "password": "demo123"}


def profile_for(sim: Simulator, name: str = "test", **overrides: Any) -> Profile:
    """A profile on the simulator's demo account."""
    settings = {"base_url": sim.url, "account": DEMO["account"], "userid": DEMO["userid"], "retries": 1,
                "read_timeout": 5.0, **overrides}
    return Profile(name=name, **settings)


@asynccontextmanager
async def open_service(sim: Simulator, store: Path, password: str = DEMO["password"], **overrides: Any):
    """An open SmsService on the simulator (the simulator's clock), closed afterwards."""
    client_options = {k: overrides.pop(k) for k in list(overrides) if k in ("read_timeout_override",)}
    profile = profile_for(sim, **overrides)
    config = AppConfig(default_profile=profile.name, profiles={profile.name: profile})
    service = await SmsService.open(config, store_path=store, password=Secret(password), clock=sim.now, **client_options)
    try:
        yield service
    finally:
        await service.close()


SIM_SETTINGS = {"clock": "frozen", "start_time": "2026-03-01 10:00:00", "seed": 3}


@pytest_asyncio.fixture
async def gateway(request):
    """A simulator of its own for one service test (settings from a `gateway` marker), in the test's loop."""
    from smstui.simulator import SimConfig

    marker = request.node.get_closest_marker("gateway")
    async with Simulator(SimConfig(**{**SIM_SETTINGS, **(marker.kwargs if marker else {})})) as simulator:
        yield simulator
