"""After an unknown outcome: decide from delivery reports who was really sent, and re-send only on the user's word."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ... import protocol as p
from ...protocol.codes import curable
from ..errors import InvalidInput
from ..store import ChunkState, Gap, InDoubt, StoredReport, Supersedes
from .context import SendContext
from .jobs import Job, job_class
from .planner import Planner


@dataclass(frozen=True, slots=True)
class Sighting:
    """A stored report seen as evidence: its task, its number, and when this store received it (our clock)."""

    task_id: str
    mobile: str
    received_at: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """What reconciliation of one unknown chunk looks at besides its own numbers."""

    reports: Sequence[Sighting]  # reports for its numbers received after it went out
    claimed: frozenset[str] = frozenset()  # tasks that belong to other requests of this store
    rivals: Sequence[InDoubt] = ()  # other requests in doubt (any send of the account)
    gaps: Sequence[Gap] = ()  # report queries whose bodies may have been lost (not accepted by the user)
    shared: bool = False  # others may send on the account: a task this store never saw may be theirs
    sent_at: str = ""  # when the chunk went out (this store's clock)


AMBIGUOUS_WHY = ("rival", "foreign", "gap")  # another request in doubt; a task of someone else's; a lost body


@dataclass(frozen=True, slots=True)
class Decision:
    """What the reports prove for one unknown chunk."""

    confirmed: dict[str, str]  # number → the task whose report proves it was sent
    ambiguous: frozenset[str]  # reported by a report that may not be ours, or maybe in a body that was lost
    unconfirmed: tuple[str, ...]  # no report, and no lost body could have held one: maybe never sent
    why: dict[str, str] = field(default_factory=dict)  # ambiguous number → rival, foreign or gap
    gaps: tuple[Gap, ...] = ()  # the gaps that make numbers ambiguous

    @property
    def settled(self) -> bool:
        """Whether every number is decided (confirmed)."""
        return not self.unconfirmed and not self.ambiguous

    def by_task(self) -> dict[str, list[str]]:
        """The confirmed numbers grouped by the task that proves them."""
        tasks: dict[str, list[str]] = {}
        for mobile, task_id in self.confirmed.items():
            tasks.setdefault(task_id, []).append(mobile)
        return tasks


def decide(chunk_id: int, mobiles: Sequence[str], evidence: Evidence) -> Decision:
    """Pure: which numbers of an unknown chunk the reports prove sent, which they leave ambiguous or unconfirmed.

    A report proves a number was sent by the chunk when it reached the store after the chunk went out and its task
    belongs to no other request. A task that another request in doubt to the same numbers, out before the task's
    first report, could also have made proves nothing: its numbers are ambiguous. On a shared account a task this
    store never saw may be someone else's: only possible proof, so ambiguous too. A number without a report is
    unconfirmed, unless a report query after the chunk went out lost its body: its report may have been in it.
    """
    wanted = set(mobiles)
    tasks: dict[str, dict[str, str]] = {}  # task → number → when its report arrived first
    for report in evidence.reports:
        if report.mobile in wanted and report.task_id not in evidence.claimed:
            tasks.setdefault(report.task_id, {}).setdefault(report.mobile, report.received_at)
    confirmed: dict[str, str] = {}
    why: dict[str, str] = {}
    for task_id, reported in tasks.items():
        first = min(reported.values())
        rivals = [other for other in evidence.rivals if other.id != chunk_id and other.sent_at
                  and other.sent_at <= first and not other.mobiles.isdisjoint(reported)]
        if rivals or evidence.shared:
            for mobile in reported:
                why.setdefault(mobile, "rival" if rivals else "foreign")
        else:
            for mobile in reported:
                confirmed.setdefault(mobile, task_id)
    for mobile in confirmed:
        why.pop(mobile, None)
    gaps = tuple(gap for gap in evidence.gaps if not gap.task_id and gap.started_at >= evidence.sent_at)
    unconfirmed = tuple(m for m in mobiles if m not in confirmed and m not in why)
    if gaps:  # their reports may have been in a body that was lost: not safe to call them unsent
        why.update(dict.fromkeys(unconfirmed, "gap"))
        unconfirmed = ()
    return Decision(confirmed, frozenset(why), unconfirmed, why, gaps)


@dataclass(frozen=True)
class ReconcileResult:
    """What the reports proved for one unknown chunk."""

    seq: int
    count: int
    confirmed: list[str]
    unconfirmed: list[str]
    task_ids: list[str]
    settle_at: datetime  # from then on a missing report is unlikely to come: re-sending becomes possible
    ambiguous: list[str] = field(default_factory=list)  # reported, but maybe not by this request, or maybe lost
    chunk_id: int = 0
    why: dict[str, str] = field(default_factory=dict)  # ambiguous number → rival, foreign or gap
    gaps: list[Gap] = field(default_factory=list)  # the lost bodies that leave numbers ambiguous


@dataclass
class Reconciler:
    """Reconciliation for one profile: decide, journal what was proved, re-send when the user says so."""

    ctx: SendContext
    planner: Planner

    async def reconcile(self, send_id: str, accept_gaps: bool = False) -> list[ReconcileResult]:
        """Decide from stored delivery reports which recipients of the send's unknown chunks were really sent;
        `accept_gaps` is the user's word that reports lost in gaps do not matter for this send."""
        store, account = self.ctx.store, self.ctx.account
        send = await self.ctx.own_send(send_id)
        rivals = await store.unknown_chunks(account)
        gaps = [] if accept_gaps else await store.gaps(account, "reports")
        results = []
        for chunk in await store.chunks(send_id, [ChunkState.UNKNOWN]):
            since = chunk.sent_at or send.created
            reports = await store.reports_for(account, chunk.mobiles, since)
            claimed = await store.claimed_task_ids(account, chunk.id)
            evidence = Evidence(_sightings(reports), frozenset(claimed), rivals, gaps, self.ctx.settings.shared_account,
                                since)
            decision = decide(chunk.id, chunk.mobiles, evidence)
            sent_at = p.parse_gateway_time(chunk.sent_at) or self.ctx.clock()
            by_task = decision.by_task()
            for task_id, proven in by_task.items():
                await store.record_task(send, task_id, proven, send.schedule or sent_at,
                                        p.is_verification(send.content))
            found = len(decision.confirmed)
            # Only while still unknown: another process may have closed the chunk meanwhile (and re-sent it).
            if decision.settled:
                still = await store.mark_chunk(chunk.id, ChunkState.RECONCILED, only_if=ChunkState.UNKNOWN,
                                               task_id=",".join(by_task), accepted=found,
                                               message="confirmed by delivery reports")
            else:
                note = f"{found} of {chunk.count} confirmed by delivery reports" + (
                    f"; {len(decision.ambiguous)} ambiguous" if decision.ambiguous else "")
                still = await store.mark_chunk(chunk.id, ChunkState.UNKNOWN, only_if=ChunkState.UNKNOWN,
                                               task_id=",".join(by_task), accepted=found, message=note)
            if not still:
                continue
            settle_at = max(sent_at, send.schedule or sent_at) + timedelta(seconds=self.ctx.settings.reconcile_wait)
            results.append(ReconcileResult(chunk.seq, chunk.count, sorted(decision.confirmed),
                                           list(decision.unconfirmed), list(by_task), settle_at,
                                           sorted(decision.ambiguous), chunk.id, decision.why, list(decision.gaps)))
        if not await store.chunks(send_id, [ChunkState.UNKNOWN, ChunkState.INFLIGHT]):
            await store.set_send_state(send_id, "done")
        return results

    async def close(self, send_id: str, note: str) -> int:
        """The user checked the numbers still in doubt by hand: close the send's unknown chunks (never re-sent)."""
        chunks = await self.ctx.store.chunks(send_id, [ChunkState.UNKNOWN])
        if not chunks:
            return 0
        ids = tuple(c.id for c in chunks)
        await self.ctx.store.close_chunks(Supersedes(ids, ChunkState.UNKNOWN, ChunkState.RECONCILED, note))
        await self.ctx.store.set_send_state(send_id, "done")
        return sum(c.count for c in chunks)

    async def resend_job(self, send_id: str, accept_gaps: bool = False) -> Job | None:
        """The user's explicit choice: a job for the numbers no report confirmed (None when none is left).

        Ambiguous numbers are never in it; planning it closes the unknown chunks in the transaction that journals
        it, so two processes cannot both re-send, and the opt-out list and the rules still hold numbers back.
        """
        send = await self.ctx.own_send(send_id)
        results = await self.reconcile(send_id, accept_gaps)
        unconfirmed = [m for r in results for m in r.unconfirmed]
        if not unconfirmed:
            return None
        settle_at = max(r.settle_at for r in results if r.unconfirmed)
        if self.ctx.clock() < settle_at:
            when, wait = p.format_send_time(settle_at), f"{self.ctx.settings.reconcile_wait:g}"
            raise InvalidInput(
                f"reports for this send may still come: re-sending is possible from {when} "
                f"(Beijing time; reconcile_wait = {wait} s in the profile). Nothing was sent."
            ).words("resend_too_soon", when=when, wait=wait)
        open_ids = tuple(sorted({r.chunk_id for r in results if r.unconfirmed or r.ambiguous}))
        chunks = [c for c in await self.ctx.store.chunks(send_id) if c.id in open_ids]
        ambiguous = [m for r in results for m in r.ambiguous]
        note = f"unconfirmed numbers of {send_id} re-sent by the user" + (
            f"; ambiguous, left to the user: {','.join(ambiguous)}" if ambiguous else "")
        job = job_class(send).restore(send, chunks, unconfirmed)
        return replace(job, supersedes=Supersedes(open_ids, ChunkState.UNKNOWN, ChunkState.RECONCILED, note))

    async def refused_job(self, send_id: str) -> Job | None:
        """A job for the numbers refused for a reason a later send can cure (None when there are none)."""
        send = await self.ctx.own_send(send_id)
        chunks = [c for c in await self.ctx.store.chunks(send_id, [ChunkState.REFUSED]) if curable(c.code)]
        if not chunks:
            return None
        mobiles = [m for chunk in chunks for m in chunk.mobiles]
        job = job_class(send).restore(send, chunks, mobiles)
        note = f"refused numbers of {send_id} sent again by the user"
        return replace(job, supersedes=Supersedes(tuple(c.id for c in chunks), ChunkState.REFUSED, ChunkState.RESENT,
                                                  note))


def _sightings(reports: Iterable[StoredReport]) -> list[Sighting]:
    return [Sighting(r.task_id, r.mobile, r.received_at) for r in reports]
