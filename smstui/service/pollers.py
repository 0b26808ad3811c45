"""Report and uplink pollers: drain the gateway's queues until an empty answer, every body stored before the next."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .client import GatewayClient
from .errors import ServiceError, UnknownOutcome
from .ingest import DrainResult, Ingestor

log = logging.getLogger("smstui.service.pollers")


class Poller:
    """Drains one queue of the gateway (reports or uplinks) until an empty answer."""

    def __init__(self, kind: str, client: GatewayClient, ingestor: Ingestor, status_num: int = 1000) -> None:
        self.kind = kind
        self.client = client
        self.ingestor = ingestor
        self.status_num = status_num

    async def drain(self, task_id: str | None = None, max_rounds: int = 10_000) -> DrainResult:
        """Query until the gateway has nothing more; every body read is stored (or kept) before the next query."""
        new = duplicates = 0
        optouts: list[str] = []
        fmt = "json" if self.client.transport == "json" else "xml"  # statusJsonApi/callJsonApi for a JSON profile
        kept_as = self.kind if fmt == "xml" else f"{self.kind}-json"
        for _ in range(max_rounds):
            try:
                if self.kind == "reports":
                    body, reply = await self.client.fetch_reports(self.status_num, task_id, fmt)
                else:
                    body, reply = await self.client.fetch_uplinks(fmt)
            except UnknownOutcome as exc:
                if exc.raw:
                    await self.ingestor.keep(kept_as, exc.raw, exc.message)
                raise
            try:
                if self.kind == "reports":
                    result = await self.ingestor.reports(reply.items, "poll")
                else:
                    result = await self.ingestor.uplinks(reply.items, "poll")
            except Exception as exc:  # whatever failed, the gateway will not send this body again: keep it
                await self.ingestor.keep(kept_as, body, getattr(exc, "message", None) or repr(exc))
                raise
            new += result.new
            duplicates += result.duplicates
            optouts += result.optouts
            if not reply.items:
                break
        return DrainResult(new, duplicates, tuple(optouts))

    async def run(self, interval: float, told: Callable[[ServiceError | None], None] | None = None) -> None:
        """Drain every `interval` seconds until cancelled; each round is told (None when it went well); errors back
        off (up to 10 minutes) and are reported, not raised."""
        delay = interval
        while True:
            try:
                await self.drain()
                delay = interval
                if told is not None:
                    told(None)
            except ServiceError as exc:
                delay = min(max(delay * 2, interval), 600)
                if told is not None:
                    told(exc)
            await asyncio.sleep(delay)
