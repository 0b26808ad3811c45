"""Opening the service the app runs on: a configured profile, or the in-process simulator (demo)."""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..service import AppConfig, SmsService
    from ..simulator import Simulator


DEMO_TEMPLATES = ("您的验证码是@，@分钟内有效【星辰科技】", "尊敬的@，您的订单@已发货【星辰科技】")


@dataclass
class DemoSettings:
    """How the demo's simulator runs: seed, clock, how lively its world is."""

    seed: int = 0
    clock: Literal["real", "frozen"] = "real"
    start_time: str = ""
    reply_rate: float = 0.2
    poll_interval: float = 3.0
    store_path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Launcher:
    """Opens and closes the service for the app, on one of its profiles."""

    demo = False

    def profiles(self) -> list[str]:
        """The profiles the app can switch between."""
        return []

    async def open(self, profile: str | None = None) -> SmsService:
        """Open the service of a profile (the default one when None), closing the one open before."""
        raise NotImplementedError

    async def close(self) -> None:
        """Close whatever open() started."""


class ProfileLauncher(Launcher):
    """The profiles of the user's configuration."""

    def __init__(self, config: AppConfig, profile: str | None = None) -> None:
        self.config = config
        self.profile = profile
        self.service: SmsService | None = None

    def profiles(self) -> list[str]:
        """The configured profiles."""
        return list(self.config.profiles)

    async def open(self, profile: str | None = None) -> SmsService:
        """Open a profile's service."""
        from ..service import SmsService

        await self.close()
        self.service = await SmsService.open(self.config, profile or self.profile)
        return self.service

    async def close(self) -> None:
        """Close the service."""
        if self.service is not None:
            await self.service.close()
            self.service = None


class DemoLauncher(Launcher):
    """The built-in simulator on a free loopback port; a profile per simulator account; a throw-away store."""

    demo = True

    def __init__(self, settings: DemoSettings | None = None, language: str = "auto", announce: bool = False) -> None:
        self.settings = settings or DemoSettings()
        self.language = language
        self.announce = announce  # started for want of a profile: the app says so once it is up
        self.simulator: Simulator | None = None
        self.service: SmsService | None = None
        self._config: AppConfig | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._ids = random.Random(self.settings.seed)  # the store is new each run: seeded send ids cannot collide

    def profiles(self) -> list[str]:
        """The simulator's accounts (prepaid demo, post-paid, without templates, without reports)."""
        return list(self._config.profiles) if self._config else []

    async def _start(self) -> AppConfig:
        """Start the simulator (seeded, its world as lively as the settings say) and make a profile per account."""
        from ..service import AppConfig, Profile
        from ..simulator import SimConfig, Simulator

        s = self.settings
        config = SimConfig(seed=s.seed, clock=s.clock, start_time=s.start_time, reply_rate=s.reply_rate, **s.extra)
        if "accounts" not in s.extra:  # the demo account has two templates enabled, so the live match shows
            config.accounts[0] = replace(config.accounts[0], templates=list(DEMO_TEMPLATES))
        self.simulator = Simulator(config)
        url = await self.simulator.start()
        profiles = {
            a.account: Profile(name=a.account, base_url=url, account=a.account, userid=a.userid,
                               poll_interval=s.poll_interval, uses_templates=a.templates_enabled,
                               max_mms_bytes=config.max_mms_bytes,
                               shared_account=False)  # the demo's gateway serves this process alone
            for a in config.accounts
        }
        return AppConfig(default_profile=config.accounts[0].account, language=self.language, profiles=profiles)

    async def open(self, profile: str | None = None) -> SmsService:
        """Start the simulator (once) and open a service on one of its accounts."""
        from ..service import Secret, SmsService

        if self._config is None:
            self._config = await self._start()
        if self.service is not None:
            await self.service.close()
            self.service = None
        name = profile or self._config.default_profile
        store = self.settings.store_path
        if not store:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="smstui-demo-")
            store = str(Path(self._tmp.name) / "demo.db")
        assert self.simulator is not None
        password = self.simulator.world.accounts[name].password  # the live one: it may have been changed
        self.service = await SmsService.open(self._config, name, store_path=store, password=Secret(password),
                                             clock=self.simulator.now, demo=True, send_ids=self._send_id)
        return self.service

    def _send_id(self) -> str:
        """The next send's id, from the seed."""
        return f"{self._ids.getrandbits(64):016x}"

    async def close(self) -> None:
        """Close the service and stop the simulator."""
        if self.service is not None:
            await self.service.close()
            self.service = None
        if self.simulator is not None:
            await self.simulator.stop()
            self.simulator = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
