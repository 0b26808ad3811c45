"""Helpers for the service tests: an SmsService on a real simulator over HTTP, with its own store."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from smstui.service import AppConfig, Profile, Secret, SmsJob, SmsService
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
    service = await SmsService.open(
        config, store_path=store, password=Secret(password), clock=sim.now, **client_options
    )
    try:
        yield service
    finally:
        await service.close()


def sms(mobiles: tuple[str, ...] | list[str], content: str, **options: Any) -> SmsJob:
    """An SMS job to some numbers."""
    return SmsJob(mobiles=tuple(mobiles), content=content, **options)
