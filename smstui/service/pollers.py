"""Report and uplink pollers: drain the gateway's queues, store before anyone sees, never lose a body."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .. import protocol as p
from .client import GatewayClient
from .errors import ServiceError, UnknownOutcome
from .events import EventBus, RawReplyKept, ReportsArrived, UplinksArrived
from .store import Store

log = logging.getLogger("smstui.service.pollers")


@dataclass(frozen=True)
class DrainResult:
    """What one drain brought: new items stored, duplicates ignored, opt-outs, bodies kept."""

    new: int = 0
    duplicates: int = 0
    optouts: tuple[str, ...] = ()
    kept: int = 0


class Ingestor:
    """Stores report and uplink bodies (from polls or pushes); a body that fails is kept for replay."""

    def __init__(self, profile: str, store: Store, bus: EventBus, optout_words: Iterable[str]) -> None:
        self.profile = profile
        self.store = store
        self.bus = bus
        self.optout_words = list(optout_words)

    async def reports(self, items: list[p.Report], source: str) -> DrainResult:
        """Store reports, then tell listeners."""
        done = await self.store.ingest_reports(self.profile, items)
        if done.new:
            delivered = sum(1 for r in items if r.delivered)
            self.bus.publish(ReportsArrived(self.profile, done.new, delivered, source))
        return DrainResult(done.new, done.duplicates)

    async def uplinks(self, items: list[p.Uplink], source: str) -> DrainResult:
        """Store uplinks (opt-outs onto the list), then tell listeners."""
        done = await self.store.ingest_uplinks(self.profile, items, self.optout_words)
        if done.new:
            self.bus.publish(UplinksArrived(self.profile, done.new, done.optouts, source))
        return DrainResult(done.new, done.duplicates, tuple(done.optouts))

    async def keep(self, kind: str, body: bytes, error: str) -> None:
        """Keep a body that could not be parsed or stored; as a last resort, in a file."""
        try:
            await self.store.keep_raw(self.profile, kind, body, error)
        except ServiceError:
            from .config import state_dir

            path = state_dir() / "kept-replies.log"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as out:
                out.write(f"--- {self.profile} {kind}: {error}\n".encode() + body + b"\n")
        log.warning("kept a %s body for replay: %s", kind, error)
        self.bus.publish(RawReplyKept(self.profile, kind, error))

    async def push_body(self, body: bytes) -> DrainResult:
        """A pushed body (reports and/or uplinks); raises after keeping it when it cannot be parsed or stored."""
        try:
            push = p.parse_push(body)
        except p.GatewayReplyError as exc:
            await self.keep("push", body, exc.reason)
            raise
        try:
            first = await self.reports(push.reports, "push") if push.reports else DrainResult()
            second = await self.uplinks(push.uplinks, "push") if push.uplinks else DrainResult()
        except Exception as exc:  # kept, so a push answered `error` is not lost even if every retry fails too
            await self.keep("push", body, getattr(exc, "message", None) or repr(exc))
            raise
        return DrainResult(first.new + second.new, first.duplicates + second.duplicates, second.optouts)

    async def replay(self) -> DrainResult:
        """Try the kept bodies again; those that now parse and store are marked replayed."""
        total = DrainResult()
        for kept in await self.store.raw_replies(self.profile):
            parse = {"reports": p.parse_reports, "uplinks": p.parse_uplinks, "reports-json": p.parse_reports_json,
                     "uplinks-json": p.parse_uplinks_json}.get(kept["kind"])
            try:
                if parse is None:
                    push = p.parse_push(kept["body"])
                    reports, uplinks = push.reports, push.uplinks
                else:
                    reply = parse(kept["body"])
                    reports, uplinks = (reply.items, []) if kept["kind"].startswith("reports") else ([], reply.items)
            except p.GatewayReplyError:
                continue
            first = await self.reports(reports, "replay")
            second = await self.uplinks(uplinks, "replay")
            await self.store.mark_replayed(kept["id"])
            total = DrainResult(total.new + first.new + second.new, total.duplicates + first.duplicates + second.duplicates)
        return total


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

    async def run(self, interval: float, on_error=None) -> None:
        """Drain every `interval` seconds until cancelled; errors back off and are reported, not raised."""
        delay = interval
        while True:
            try:
                await self.drain()
                delay = interval
            except ServiceError as exc:
                delay = min(max(delay * 2, interval), 600)
                if on_error is not None:
                    on_error(exc)
            await asyncio.sleep(delay)
