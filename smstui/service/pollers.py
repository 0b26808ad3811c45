"""Report and uplink pollers: every query journaled, every body on disk before it is parsed, every loss a gap."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ..protocol.boxes import looks_like_html
from .client import GatewayClient
from .errors import BodyLost, ServiceError, UnknownOutcome, Unreachable
from .events import GapsFound
from .ingest import DrainResult, Ingestor
from .store import GAP_CAUSES, QueryState

log = logging.getLogger("smstui.service.pollers")
RETRY_DELAY = 0.5  # seconds before the first retry of a query that took nothing (then doubled)


def took_nothing(error: ServiceError, body: bytes = b"") -> bool:
    """Whether a failed query cannot have been handed a body: it never left, or an error page answered it."""
    if isinstance(error, Unreachable):
        return True
    return isinstance(error, UnknownOutcome) and error.kind == "http_error" and looks_like_html(body or error.raw)


class Poller:
    """Drains one queue of the gateway (reports or uplinks) until an empty answer."""

    def __init__(self, kind: str, client: GatewayClient, ingestor: Ingestor, status_num: int = 1000) -> None:
        self.kind = kind
        self.client = client
        self.ingestor = ingestor
        self.status_num = status_num

    @property
    def fmt(self) -> str:
        """statusJsonApi/callJsonApi for a JSON profile, the XML pages for every other."""
        return "json" if self.client.transport == "json" else "xml"

    async def drain(self, task_id: str | None = None, max_rounds: int = 10_000, retries: int = 0) -> DrainResult:
        """Query until the gateway has nothing more; a query that took nothing is tried again `retries` times."""
        total = DrainResult()
        for _ in range(max_rounds):
            got = await self._round(task_id, retries)
            total = total + got
            if not got.items:
                break
        return total

    async def _round(self, task_id: str | None, retries: int) -> DrainResult:
        """One query: journaled before it goes out, its body stored (or its loss recorded) before the next."""
        store, profile = self.ingestor.store, self.ingestor.profile
        attempt = 0
        while True:
            query = await store.open_query(profile, self.kind, task_id or "")
            try:
                body = await self.client.query(self.kind, self.fmt, self.status_num, task_id)
            except (Unreachable, UnknownOutcome) as exc:
                if not took_nothing(exc):  # the gateway may have handed a body out: keep what came, mark the gap
                    cause = exc.kind if exc.kind in GAP_CAUSES else "broken"
                    got = await self.ingestor.cut(query, self.kind, self.fmt, getattr(exc, "raw", b""), cause)
                    raise BodyLost.of(self.kind, exc.message, getattr(exc, "raw", b""), got.items) from exc
                await store.close_query(query, QueryState.CLEAN, exc.message)
                failure: ServiceError = exc
            else:
                if not looks_like_html(body):
                    return await self.ingestor.read(query, self.kind, self.fmt, body)
                await store.close_query(query, QueryState.CLEAN, "an HTML page answered")
                failure = UnknownOutcome(f"an HTML page answered the {self.kind} query, not the gateway", body
                                         ).words("unreadable", reason="an HTML page", raw=body[:200].decode(
                                             "utf-8", "replace"))
            if attempt == retries:
                raise failure
            await asyncio.sleep(RETRY_DELAY * 2**attempt)
            attempt += 1

    async def run(self, interval: float, told: Callable[[ServiceError | None], None] | None = None,
                  lead: Callable[[], Awaitable[bool]] | None = None) -> None:
        """Drain every `interval` seconds until cancelled; each round is told (None when it went well); errors back
        off (up to 10 minutes) and are reported, not raised. With `lead`, a round drains only while this process
        leads the account's polling (a shared store: another host's poller may be the one). Each round first
        records as gaps the queries a dead process left open: one that takes over says what the dead one lost."""
        delay = interval
        while True:
            try:
                if lead is None or await lead():
                    found = await self.ingestor.store.crashed_queries(self.ingestor.profile)
                    if found:
                        self.ingestor.bus.publish(GapsFound(self.ingestor.profile, found))
                    await self.drain(retries=1)
                delay = interval
                if told is not None:
                    told(None)
            except ServiceError as exc:
                delay = min(max(delay * 2, interval), 600)
                if told is not None:
                    told(exc)
            await asyncio.sleep(delay)

