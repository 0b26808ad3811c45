"""Storing report and uplink bodies, from polls, pushes or replays: stored before anyone sees, never lost."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .. import protocol as p
from .errors import BodyLost, GatewayRefused, ServiceError
from .events import EventBus, RawReplyKept, ReportsArrived, UplinksArrived
from .spool import Spool, Spooled
from .store import KeptBody, QueryState, Store

log = logging.getLogger("smstui.service.ingest")


@dataclass(frozen=True)
class DrainResult:
    """What one drain brought: items the gateway handed out, new ones stored, duplicates, opt-outs, gaps, replays."""

    new: int = 0
    duplicates: int = 0
    optouts: tuple[str, ...] = ()
    kept: int = 0
    items: int = 0
    gaps: int = 0
    replayed: int = 0

    def __add__(self, other: DrainResult) -> DrainResult:
        return DrainResult(self.new + other.new, self.duplicates + other.duplicates, self.optouts + other.optouts,
                           self.kept + other.kept, self.items + other.items, self.gaps + other.gaps,
                           self.replayed + other.replayed)


_PARSERS: dict[tuple[str, str], Callable[[bytes], Any]] = {
    ("reports", "xml"): p.parse_reports, ("reports", "json"): p.parse_reports_json,
    ("uplinks", "xml"): p.parse_uplinks, ("uplinks", "json"): p.parse_uplinks_json}


class Ingestor:
    """Stores report and uplink bodies (from polls, pushes, replays); a body that cannot be read is kept."""

    def __init__(self, profile: str, store: Store, bus: EventBus, optout_words: Iterable[str]) -> None:
        self.profile = profile
        self.store = store
        self.bus = bus
        self.optout_words = list(optout_words)
        self._spool: Spool | None = None

    @property
    def spool(self) -> Spool:
        """Where query bodies wait between the wire and the store (made on first use)."""
        if self._spool is None:
            self._spool = Spool(self.store.spool_dir())
        return self._spool

    async def reports(self, items: list[p.Report], source: str, query: int | None = None,
                      lost: str = "") -> DrainResult:
        """Store reports (closing the query that brought them), then tell listeners."""
        done = await self.store.ingest_reports(self.profile, items, query, lost)
        if done.new:
            delivered = sum(1 for r in items if r.delivered)
            self.bus.publish(ReportsArrived(self.profile, done.new, delivered, source))
        return DrainResult(done.new, done.duplicates, items=len(items), gaps=1 if lost else 0)

    async def uplinks(self, items: list[p.Uplink], source: str, query: int | None = None,
                      lost: str = "") -> DrainResult:
        """Store uplinks (opt-outs onto the list, closing the query that brought them), then tell listeners."""
        done = await self.store.ingest_uplinks(self.profile, items, self.optout_words, query, lost)
        if done.new:
            self.bus.publish(UplinksArrived(self.profile, done.new, done.optouts, source))
        return DrainResult(done.new, done.duplicates, tuple(done.optouts), items=len(items), gaps=1 if lost else 0)

    async def _store(self, kind: str, items: list, source: str, query: int | None, lost: str = "") -> DrainResult:
        if kind == "reports":
            return await self.reports(items, source, query, lost)
        return await self.uplinks(items, source, query, lost)

    # -- query bodies: kept on disk first, parsed after, every loss a gap -----------------------------

    async def read(self, query: int, kind: str, fmt: str, body: bytes, source: str = "poll") -> DrainResult:
        """A whole body of a query: on disk first, then parsed and stored with its query closed, then forgotten."""
        return await self._ingest_spooled(self.spool.put(query, kind, fmt, body), body, source)

    async def cut(self, query: int, kind: str, fmt: str, partial: bytes, cause: str) -> DrainResult:
        """A query whose body may have been lost (dropped, cut, timed out: the cause): what arrived whole is
        stored, the rest is a gap."""
        if partial:
            spooled = self.spool.put(query, kind, fmt, partial)
            items = _salvage(kind, fmt, partial)
            result = await self._store(kind, items, "poll", query, lost=cause)
            self.spool.drop(spooled)
            return result
        await self.store.close_query(query, QueryState.GAP, cause)
        return DrainResult(gaps=1)

    async def _ingest_spooled(self, spooled: Spooled, body: bytes, source: str) -> DrainResult:
        kind, fmt, query = spooled.kind, spooled.fmt, spooled.query
        try:
            reply = _PARSERS[(kind, fmt)](body)
        except p.GatewayReplyError as exc:
            items = _salvage(kind, fmt, body)  # a cut or spoilt body: its whole boxes, and a gap for the rest
            if not items:
                await self.keep(f"{kind}-json" if fmt == "json" else kind, body, exc.reason)
            await self._store(kind, items, source, query, lost="unreadable")
            self.spool.drop(spooled)
            raise BodyLost.of(kind, exc.reason if items else f"{exc.reason}; the body is kept", body,
                              len(items)) from None
        if not reply.ok:  # refused: the gateway handed nothing out
            if query is not None:
                await self.store.close_query(query, QueryState.CLEAN, reply.remark or f"error {reply.error}")
            self.spool.drop(spooled)
            raise GatewayRefused(reply.code, reply.remark or f"error {reply.error}").words(
                "query_error", error=reply.error, remark=reply.remark)
        result = await self._store(kind, reply.items, source, query)  # fails: the body stays on disk
        self.spool.drop(spooled)
        return result

    async def replay_spool(self) -> DrainResult:
        """Store the bodies a crash left on disk (read, not yet stored): the next start loses nothing read."""
        total = DrainResult()
        for spooled in self.spool.waiting():
            try:
                body = spooled.read()
                if spooled.kind == "push":  # a push the store could not take when it came
                    try:
                        got = await self.push_body(body, spool=False)
                    except p.GatewayReplyError:
                        got = DrainResult()  # not the gateway's push after all: refused, as the receiver would
                    self.spool.drop(spooled)
                else:
                    got = await self._ingest_spooled(spooled, body, "replay")
            except ServiceError as exc:
                log.warning("a spooled %s body could not be stored: %s", spooled.kind, exc.message)
                continue
            total = total + DrainResult(got.new, got.duplicates, got.optouts, items=got.items, replayed=1)
        return total

    # -- bodies that could not be read ------------------------------------------------------------

    async def keep(self, kind: str, body: bytes, error: str, spool: bool = False) -> None:
        """Keep a body that could not be parsed or stored; with `spool`, when the store cannot take it either, in the
        spool (the next start tries it again; a body already spooled stays where it is)."""
        try:
            await self.store.keep_raw(self.profile, kind, body, error)
        except ServiceError:
            if not spool:
                raise
            self.spool.put(None, kind.removesuffix("-json"), "json" if kind.endswith("-json") else "xml", body)
        log.warning("kept a %s body for replay: %s", kind, error)
        self.bus.publish(RawReplyKept(self.profile, kind, error))

    push_kept_rows, push_kept_bytes = 200, 32 * 1_048_576  # pushes kept for replay at most (a push is up to 1 MiB)

    async def push_body(self, body: bytes, spool: bool = True) -> DrainResult:
        """A pushed body (reports and/or uplinks). One that is not the gateway's push XML raises GatewayReplyError and
        is not kept (anyone can post: it would fill the disk); its boxes without mobile or taskid are left out and
        logged. One that parses but cannot be stored is kept (in the store, else the spool; both capped) and raises."""
        push = p.parse_push(body)
        for reason in push.refused:
            log.warning("a pushed box was left out: %s", reason)
        try:
            first = await self.reports(push.reports, "push") if push.reports else DrainResult()
            second = await self.uplinks(push.uplinks, "push") if push.uplinks else DrainResult()
        except Exception as exc:  # kept, so a push answered `error` is not lost even if every retry fails too
            await self._keep_push(body, getattr(exc, "message", None) or repr(exc), spool)
            raise
        return first + second

    async def _keep_push(self, body: bytes, error: str, spool: bool) -> None:
        """Keep a push that could not be stored, unless the pushes already kept (in the store and the spool) reach
        `push_kept_rows` or `push_kept_bytes`: then it is only logged (the gateway, answered `error`, tries again)."""
        try:
            kept = [k.body for k in await self.store.raw_replies(self.profile) if k.kind == "push"]
        except ServiceError:  # the store cannot even be read: keep() falls back to the spool
            kept = []
        spooled = [path.stat().st_size for path in self.spool.directory.glob("*.push.*.body")]
        rows, size = len(kept) + len(spooled), sum(map(len, kept)) + sum(spooled) + len(body)
        if rows >= self.push_kept_rows or size > self.push_kept_bytes:
            log.warning("a push that could not be stored was not kept either: %s pushes (%s bytes) are kept already, "
                        "the most kept (%s pushes, %s bytes); the next start replays them", f"{rows:,}", f"{size:,}",
                        f"{self.push_kept_rows:,}", f"{self.push_kept_bytes:,}")
            return
        await self.keep("push", body, error, spool)

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
            total = total + first + second + DrainResult(replayed=1)
        return total


def _salvage(kind: str, fmt: str, body: bytes) -> list:
    """The boxes that arrived whole in a body cut short."""
    return p.salvage_reports(body, fmt) if kind == "reports" else p.salvage_uplinks(body, fmt)


def read_kept(kept: KeptBody) -> tuple[list[p.Report], list[p.Uplink]]:
    """The reports and uplinks of a kept body, read by the kind it was kept as (`reports`, `uplinks-json`, `push`);
    the whole boxes of a cut body too."""
    if kept.kind == "push":
        push = p.parse_push(kept.body)
        return push.reports, push.uplinks
    fmt = "json" if kept.kind.endswith("-json") else "xml"
    kind = kept.kind.removesuffix("-json")
    try:
        items = _PARSERS[(kind, fmt)](kept.body).items
    except p.GatewayReplyError:
        items = _salvage(kind, fmt, kept.body)
        if not items:
            raise
    return (items, []) if kind == "reports" else ([], items)
