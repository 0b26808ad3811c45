"""Chapter 6 from the gateway's side: POST reports and uplinks to the account's URL, 3 attempts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from .. import protocol as p
from ..protocol import Report, Uplink
from .clock import SimClock
from .config import FaultConfig
from .world import Outbox, World

log = logging.getLogger("smstui.simulator.push")


class Pusher:
    """Drains the push outboxes: a reply `error` or a network failure is retried, anything else is done."""

    def __init__(self, world: World, clock: SimClock, faults: Callable[[], FaultConfig]) -> None:
        self.world = world
        self.clock = clock
        self.faults = faults
        self._wake = asyncio.Event()
        self._client: Any = None

    def wake(self) -> None:
        """Look at the outboxes now."""
        self._wake.set()

    async def run(self) -> None:
        """Push until cancelled."""
        try:
            while True:
                try:
                    await asyncio.wait_for(self._wake.wait(), self.world.config.tick_interval * 5)
                except TimeoutError:
                    pass
                self._wake.clear()
                try:
                    await self.drain()
                except Exception:  # a failed push round must not end pushing
                    log.exception("pushing failed")
        finally:
            if self._client is not None:
                await self._client.aclose()
                self._client = None

    async def drain(self) -> None:
        """Push everything waiting in every outbox; what an account no longer has a URL for goes back to pulling."""
        size = max(self.world.config.push_batch, 1)
        for name, outbox in list(self.world.outboxes.items()):
            # The URL is looked up again before every batch: an admin may clear or change it mid-drain.
            while outbox.reports or outbox.uplinks:
                url = self.world.accounts[name].config.push_url
                if not url:
                    self.world.requeue(name, list(outbox.reports), list(outbox.uplinks))
                    outbox.reports.clear()
                    outbox.uplinks.clear()
                    break
                if outbox.reports:
                    reports = [outbox.reports.popleft() for _ in range(min(size, len(outbox.reports)))]
                    await self._push(name, url, outbox, reports, [])
                else:
                    uplinks = [outbox.uplinks.popleft() for _ in range(min(size, len(outbox.uplinks)))]
                    await self._push(name, url, outbox, [], uplinks)

    async def _push(self, name: str, url: str, outbox: Outbox, reports: list[Report], uplinks: list[Uplink]) -> None:
        """Push one batch; what is not delivered goes to the pull queues (back to the outbox when cancelled mid-way)."""
        try:
            body = p.render_reports(reports) if reports else p.render_uplinks(uplinks)
            done = await self.deliver(name, url, "reports" if reports else "uplinks", body)
        except asyncio.CancelledError:
            outbox.reports.extendleft(reversed(reports))
            outbox.uplinks.extendleft(reversed(uplinks))
            raise
        except Exception:
            self.world.requeue(name, reports, uplinks)
            raise
        if not done:
            self.world.requeue(name, reports, uplinks)

    def _http(self) -> Any:
        # Made on the first push: most simulators never push, and a client costs a TLS context.
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0))
        return self._client

    async def deliver(self, account: str, url: str, kind: str, body: bytes) -> bool:
        """POST one body, at most `push_attempts` times; True once the receiver did not answer `error`."""
        attempts = max(self.world.config.push_attempts, 1)
        for attempt in range(1, attempts + 1):
            delay = self.faults().push_delay
            if delay:
                await asyncio.sleep(delay)
            entry: dict[str, Any] = {"account": account, "kind": kind, "url": url, "attempt": attempt,
                                     "at": self.clock.now().isoformat(), "bytes": len(body)}
            try:
                response = await self._http().post(
                    url, content=body, headers={"Content-Type": "text/xml; charset=utf-8"}
                )
                answer = response.text.strip()
                entry.update(status=response.status_code, answer=answer[:40])
                done = answer.lower() != "error"
            except Exception as exc:  # any failure (httpx.HTTPError, InvalidURL, …) is a failed attempt, never a loss
                entry.update(error=type(exc).__name__)
                done = False
            entry["outcome"] = "done" if done else "retry" if attempt < attempts else "gave up"
            self.world.push_log.append(entry)
            if done:
                return True
            if attempt < attempts:
                await asyncio.sleep(self.world.config.push_retry_delay)
        log.warning("push to %s failed %d times; kept for the pull endpoints", url, attempts)
        return False
