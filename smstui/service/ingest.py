"""Storing report and uplink bodies, from polls, pushes or replays: stored before anyone sees, never lost."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .. import protocol as p
from ..runtime.files import private_file
from ..runtime.locations import state_dir
from .errors import ServiceError
from .events import EventBus, RawReplyKept, ReportsArrived, UplinksArrived
from .store import KeptBody, Store

log = logging.getLogger("smstui.service.ingest")


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
            path = private_file(state_dir() / "kept-replies.log")  # it holds numbers: owner only
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
            try:
                reports, uplinks = read_kept(kept)
            except p.GatewayReplyError:
                continue
            first = await self.reports(reports, "replay")
            second = await self.uplinks(uplinks, "replay")
            await self.store.mark_replayed(kept.id)
            total = DrainResult(
                total.new + first.new + second.new, total.duplicates + first.duplicates + second.duplicates
            )
        return total


def read_kept(kept: KeptBody) -> tuple[list[p.Report], list[p.Uplink]]:
    """The reports and uplinks of a kept body, read by the kind it was kept as (`reports`, `uplinks-json`, `push`)."""
    if kept.kind == "push":
        push = p.parse_push(kept.body)
        return push.reports, push.uplinks
    as_json = kept.kind.endswith("-json")
    if kept.kind.startswith("reports"):
        return (p.parse_reports_json if as_json else p.parse_reports)(kept.body).items, []
    return [], (p.parse_uplinks_json if as_json else p.parse_uplinks)(kept.body).items
