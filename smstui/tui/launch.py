"""Opening the service the app runs on: a configured profile, or the in-process simulator (demo)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..service import AppConfig, Profile, Secret, SmsService


@dataclass
class DemoSettings:
    """How the demo's simulator runs: seed, clock, how lively its world is."""

    seed: int = 0
    clock: str = "real"
    start_time: str = ""
    reply_rate: float = 0.2
    poll_interval: float = 3.0
    store_path: str = ""
    extra: dict = field(default_factory=dict)


class Launcher:
    """Opens and closes the service for the app."""

    demo = False

    async def open(self) -> SmsService:
        """Open the service."""
        raise NotImplementedError

    async def close(self) -> None:
        """Close whatever open() started."""


class ProfileLauncher(Launcher):
    """A profile of the user's configuration."""

    def __init__(self, config: AppConfig, profile: str | None = None) -> None:
        self.config = config
        self.profile = profile
        self.service: SmsService | None = None

    async def open(self) -> SmsService:
        """Open the profile's service."""
        self.service = await SmsService.open(self.config, self.profile)
        return self.service

    async def close(self) -> None:
        """Close the service."""
        if self.service is not None:
            await self.service.close()


class DemoLauncher(Launcher):
    """The built-in simulator on a free loopback port, with the demo account and a throw-away store."""

    demo = True

    def __init__(self, settings: DemoSettings | None = None, language: str = "auto") -> None:
        self.settings = settings or DemoSettings()
        self.language = language
        self.simulator = None
        self.service: SmsService | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    async def open(self) -> SmsService:
        """Start the simulator and open a service on its demo account."""
        from ..simulator import SimConfig, Simulator

        s = self.settings
        config = SimConfig(seed=s.seed, clock=s.clock, start_time=s.start_time, reply_rate=s.reply_rate, **s.extra)
        self.simulator = Simulator(config)
        url = await self.simulator.start()
        account = config.accounts[0]
        profile = Profile(name="demo", base_url=url, account=account.account, userid=account.userid,
                          poll_interval=s.poll_interval, uses_templates=True)
        app_config = AppConfig(default_profile="demo", language=self.language, profiles={"demo": profile})
        store = s.store_path
        if not store:
            self._tmp = tempfile.TemporaryDirectory(prefix="smstui-demo-")
            store = str(Path(self._tmp.name) / "demo.db")
        self.service = await SmsService.open(app_config, "demo", store_path=store, password=Secret(account.password),
                                             clock=self.simulator.now, demo=True)
        return self.service

    async def close(self) -> None:
        """Close the service and stop the simulator."""
        if self.service is not None:
            await self.service.close()
        if self.simulator is not None:
            await self.simulator.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
