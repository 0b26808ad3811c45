"""Running the simulator: in-process on a free loopback port, or standalone under uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..runtime.server import InLoopServer, iis_target_protocol
from .app import SimulatedDrop, account_fields, build_app
from .clock import SimClock
from .config import AccountConfig, FaultConfig, SimConfig, checked_fields
from .gateway import Gateway
from .push import Pusher
from .world import World


class _HideSimulatedDrops(logging.Filter):
    """Keep the server's log free of the tracebacks the 'dropped reply' fault causes on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedDrop))


logging.getLogger("uvicorn.error").addFilter(_HideSimulatedDrops())
log = logging.getLogger("smstui.simulator")


class Simulator:
    """The simulated gateway: state, clock, faults, its ASGI app, and its server when started."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self._initial = replace(self.config, accounts=[replace(a) for a in self.config.accounts],
                                faults=replace(self.config.faults))
        self.clock = SimClock(self.config.clock, self.config.start_time)
        self._build()
        self.app = build_app(self)
        self.pusher = Pusher(self.world, self.clock, lambda: self.faults)
        self.world.on_outbox = self.pusher.wake
        self._server: Any = None
        self.url = ""

    def _build(self) -> None:
        self.world = World(self.config)
        self.gateway = Gateway(self.world, self.clock)
        self.faults = replace(self.config.faults)
        self.fault_rng = random.Random(self.config.seed + 1)

    # -- control (also reachable over HTTP under /_sim) ------------------------------------------

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and let everything due happen (reports, replies, reviews, pushes)."""
        now = self.clock.advance(seconds)
        self.tick()
        return now

    def tick(self) -> None:
        """Let everything due by now happen."""
        self.world.tick(self.clock.now())

    def set_faults(self, **changes: Any) -> FaultConfig:
        """Switch faults on or off (`error_ratio=0.5`, `drop_ratio=1`, …); unknown names are refused."""
        self.faults = replace(self.faults, **checked_fields(FaultConfig, changes, "faults"))
        return self.faults

    def clear_faults(self) -> None:
        """Back to a well-behaved gateway."""
        self.faults = FaultConfig()

    def inject_uplink(self, account: str, mobile: str, content: str, extno: str = "") -> None:
        """A recipient replies now."""
        if account not in self.world.accounts:
            raise KeyError(account)
        if self.world.add_uplink(account, mobile, content, extno, self.clock.now()):
            self.pusher.wake()

    def patch_account(self, name: str, **changes: Any) -> None:
        """Change an account: balance, mms_balance, password, enabled, push_url, bind_ips, …"""
        account = self.world.accounts[name]
        checked = _checked_patch(name, changes)  # all or nothing: a bad value leaves the account as it was
        for key, value in checked.items():
            if key in ("balance", "mms_balance", "password"):
                setattr(account, key, value)
            elif key in ("top_up", "mms_top_up"):
                account.top_up(value, mms=key == "mms_top_up")
            else:
                setattr(account.config, key, value)
        if "push_url" in checked:  # a new URL gets what waits; a cleared one sends it back to the pull queues
            self.pusher.wake()

    def reset(self) -> None:
        """Back to the state the simulator started with (same seed, same accounts, no faults)."""
        self.config = replace(self._initial, accounts=[replace(a) for a in self._initial.accounts],
                              faults=replace(self._initial.faults))
        self._build()
        self.pusher.world = self.world
        self.world.on_outbox = self.pusher.wake

    # -- running ----------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The background work while serving: the world's ticker and the pusher."""

        async def ticker() -> None:
            while True:
                await asyncio.sleep(self.config.tick_interval)
                try:
                    self.tick()
                except Exception:  # one bad event must not stop the world
                    log.exception("the simulator's world could not move on")

        tasks = [asyncio.create_task(ticker()), asyncio.create_task(self.pusher.run())]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on a loopback port (a free one by default) inside the running loop; returns the base URL."""
        self._server = InLoopServer(self.app, **server_options())
        port = await self._server.start(host, port)
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving and wait for the server to close."""
        if self._server is not None:
            await self._server.stop()
        self._server = None

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


_POINTS = ("balance", "mms_balance", "top_up", "mms_top_up")
MAX_POINTS = 10**15  # a balance the gateway's long and a client's float both hold exactly


def _checked_patch(name: str, changes: dict[str, Any]) -> dict[str, Any]:
    """An account patch with every value checked (whole numbers for points, the config's types for the rest)."""
    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key in _POINTS:
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_POINTS:
                raise ValueError(f"account {name}: {key} must be a whole number of at most {MAX_POINTS:,}, "
                                 f"not {value!r:.40}")
            checked[key] = value
        elif key == "password":
            if not isinstance(value, str) or not value.isprintable():
                raise ValueError(f"account {name}: password must be a string of printable characters")
            checked[key] = value
        elif key in account_fields():
            checked.update(checked_fields(AccountConfig, {key: value}, f"account {name}"))
        else:
            raise ValueError(f"account {name}: unknown field {key!r}")
    return checked


def describe_accounts(config: SimConfig) -> list[str]:
    """Lines that tell a person which accounts the simulator has."""
    lines = []
    for a in config.accounts:
        flags: list[str] = [a.pay_type]
        if not a.templates_enabled:
            flags.append("templates off")
        if not a.reports_allowed:
            flags.append("reports not allowed")
        if not a.has_product:
            flags.append("no product (1112)")
        if not a.has_channel:
            flags.append("no channel (1106)")
        if a.push_url:
            flags.append(f"push to {a.push_url}")
        lines.append(f"  account={a.account:<11} password={a.password:<9} userid={a.userid:<5} "
                     f"balance={a.balance:<6} ({', '.join(flags)})")
    return lines


def server_options() -> dict[str, Any]:
    """The uvicorn settings of every simulator server, in-process or standalone: request targets read as IIS does."""
    return {"http": iis_target_protocol()}


def run_standalone(host: str, port: int, config: SimConfig) -> None:
    """Serve the simulator in the foreground until interrupted."""
    import uvicorn

    sim = Simulator(config)
    print(f"smstui gateway simulator on http://{host}:{port}  (seed {config.seed}, clock {config.clock})")
    print("accounts:")
    print("\n".join(describe_accounts(config)))
    print(f"admin API: http://{host}:{port}/_sim/state   (see README: 'Simulator admin API')")
    uvicorn.run(sim.app, host=host, port=port, log_level="warning", access_log=False, **server_options())
