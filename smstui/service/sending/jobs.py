"""The kinds of send as types: an SMS to numbers, a personalised batch, an MMS — each with its checks and its wire."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from ... import protocol as p
from ...protocol.batch import ContentChecker
from ..store import ChunkRecord, NewChunk, SendRecord, Supersedes

if TYPE_CHECKING:
    from ..client import GatewayClient, SendReceipt


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job's checks need to know about the profile, and the time now."""

    now: datetime
    transport: str = "xml"
    userid: str = ""
    has_password: bool = True
    require_signature: bool = True
    max_content_length: int = p.MAX_CONTENT_LENGTH


@dataclass(frozen=True, slots=True)
class ChunkSizes:
    """How many numbers one request carries: per SMS or MMS request, per batch request."""

    numbers: int = 1000
    rows: int = 1000


def _problem(kind: str, message: str, **params: object) -> p.Problem:
    return p.Problem(kind, message, params=params)


@dataclass(frozen=True)
class Job(ABC):
    """A send the user wants: to whom, what, when, with which extension number."""

    KIND: ClassVar[str] = ""
    send_time: datetime | None = None
    extno: str = ""
    supersedes: Supersedes | None = field(default=None, compare=False)  # chunks this send takes over (re-sends)

    @abstractmethod
    def numbers(self) -> list[str]:
        """Every recipient, in order."""

    @abstractmethod
    def contents(self) -> Mapping[str, str]:
        """The text each recipient gets (what the sending rules look at)."""

    @abstractmethod
    def segments(self) -> int:
        """The largest number of billing segments of any one message (an MMS counts 1)."""

    @abstractmethod
    def cost(self, mobiles: Sequence[str]) -> int:
        """Points the job costs for these recipients (against the MMS balance for an MMS)."""

    @abstractmethod
    def channel(self, transport: str) -> str:
        """Where it goes: the transport of an SMS (the profile's when none was chosen), `batch` or `mms`."""

    @abstractmethod
    def only(self, mobiles: Sequence[str]) -> Job:
        """The same job for some of its numbers (re-sending the unconfirmed ones)."""

    @property
    def rules_apply(self) -> bool:
        """Whether the verification-code and daily rules count this job (they are rules of SMS)."""
        return True

    @property
    def headline(self) -> str:
        """What a confirmation shows of the message: the content, a batch's first row, an MMS's subject."""
        return next(iter(self.contents().values()), "")

    @property
    def mms(self) -> bool:
        """Whether it is paid from the MMS balance."""
        return False

    @property
    def uniform_segments(self) -> int | None:
        """The segments of every message when they are all alike, else None."""
        return self.segments()

    def check(self, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
        """What forbids sending (errors) and what the user should know (warnings); nothing is sent either way."""
        errors: list[p.Problem] = []
        numbers = self.numbers()
        if not numbers:
            errors.append(_problem("no_recipients", "no recipients"))
        bad = [m for m in numbers if not p.is_mobile(m)]
        if bad:
            errors.append(_problem("numbers_invalid", f"{len(bad)} invalid numbers, e.g. {bad[0]} (use parse_mobiles "
                                   "to normalise)", count=len(bad), example=bad[0]))
        if len(set(numbers)) != len(numbers):
            errors.append(_problem("numbers_repeated", "a number appears twice"))
        if not ctx.has_password:
            errors.append(_problem("no_password", "the profile has no password"))
        if extno_problem := p.check_extno(self.extno):
            errors.append(_problem("extno", extno_problem, extno=self.extno))
        if schedule := p.check_schedule(self.send_time, ctx.now):
            errors.append(schedule)
        own_errors, warnings = self.check_content(ctx)
        return errors + own_errors, warnings

    @abstractmethod
    def check_content(self, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
        """The checks of this kind of job: errors and warnings."""

    def verification(self, mobile: str) -> bool:
        """Whether what this number gets falls under the verification-code rule."""
        return p.is_verification(self.contents().get(mobile, ""))

    def chunks(self, mobiles: Sequence[str], sizes: ChunkSizes) -> list[NewChunk]:
        """The requests that carry these numbers, in order."""
        size = max(sizes.numbers, 1)
        return [NewChunk(seq, tuple(part), cost=self.cost(part))
                for seq, part in enumerate(mobiles[start:start + size] for start in range(0, len(mobiles), size))]

    def journal(self) -> tuple[str, str, dict[str, object]]:
        """What the journal keeps to send it again later: content, subject, payload."""
        return "", "", {}

    @classmethod
    @abstractmethod
    async def post(cls, client: GatewayClient, send: SendRecord, chunk: ChunkRecord) -> SendReceipt:
        """Send one journaled request."""

    @classmethod
    @abstractmethod
    def restore(cls, send: SendRecord, chunks: Sequence[ChunkRecord], mobiles: Sequence[str]) -> Job:
        """The job of a journaled send, for some of its numbers."""


def _content_findings(text: str, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
    found = p.validate_content(text, max_length=ctx.max_content_length, require_signature=ctx.require_signature)
    return [x for x in found if x.blocking], [x for x in found if not x.blocking]


@dataclass(frozen=True)
class SmsJob(Job):
    """One content to many numbers, over a transport (xml, json, gbk, encrypted, soap)."""

    KIND: ClassVar[str] = "sms"
    mobiles: tuple[str, ...] = ()
    content: str = ""
    transport: str | None = None

    def numbers(self) -> list[str]:
        """The recipients."""
        return list(self.mobiles)

    def contents(self) -> Mapping[str, str]:
        """The one content, for every number."""
        return dict.fromkeys(self.mobiles, self.content)

    def segments(self) -> int:
        """The content's segments."""
        return p.segments(self.content)

    def cost(self, mobiles: Sequence[str]) -> int:
        """Segments × recipients."""
        return p.cost(self.content, len(mobiles))

    def channel(self, transport: str) -> str:
        """The chosen transport, else the profile's."""
        return self.transport or transport

    def only(self, mobiles: Sequence[str]) -> SmsJob:
        """The same message to some of the numbers."""
        return replace(self, mobiles=tuple(mobiles))

    def verification(self, mobile: str) -> bool:
        """Whether the content carries a verification code."""
        return p.is_verification(self.content)

    def check_content(self, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
        """The content rules, and what the transport can carry."""
        errors, warnings = _content_findings(self.content, ctx)
        transport = self.channel(ctx.transport)
        if transport == "gbk" and (bad := p.content.unencodable(self.content)):
            errors.append(_problem("gbk_unencodable", f"{p.content.describe_characters(bad)} cannot be sent over GBK; "
                                   "choose the xml or json transport, or remove them", characters=bad))
        if transport == "encrypted" and not ctx.userid.isdigit():
            errors.append(_problem("encrypted_userid", "the encrypted transport needs the account's numeric userid "
                                   "(set userid in the profile)"))
        return errors, warnings

    def journal(self) -> tuple[str, str, dict[str, object]]:
        """The content."""
        return self.content, "", {}

    @classmethod
    async def post(cls, client: GatewayClient, send: SendRecord, chunk: ChunkRecord) -> SendReceipt:
        """One request of the send on its transport."""
        return await client.send(chunk.mobiles, send.content, send.schedule, send.extno, send.transport)

    @classmethod
    def restore(cls, send: SendRecord, chunks: Sequence[ChunkRecord], mobiles: Sequence[str]) -> SmsJob:
        """The journaled message, to some of its numbers."""
        return cls(send_time=send.schedule, extno=send.extno, mobiles=tuple(mobiles), content=send.content,
                   transport=send.transport)


@dataclass(frozen=True)
class BatchJob(Job):
    """Point-to-point: each number its own text (BatchSms.ashx)."""

    KIND: ClassVar[str] = "batch"
    rows: tuple[p.BatchRow, ...] = ()

    def numbers(self) -> list[str]:
        """The numbers of the rows."""
        return [row.mobile for row in self.rows]

    def contents(self) -> Mapping[str, str]:
        """Each number's text."""
        return {row.mobile: row.content for row in self.rows}

    def segments(self) -> int:
        """The segments of the longest row."""
        return max((p.segments(row.content) for row in self.rows), default=0)

    @property
    def uniform_segments(self) -> int | None:
        """The segments of every row when they are all alike."""
        counts = {p.segments(row.content) for row in self.rows}
        return counts.pop() if len(counts) == 1 else None

    def cost(self, mobiles: Sequence[str]) -> int:
        """Each row's segments, summed."""
        wanted = set(mobiles)
        return sum(p.segments(row.content) for row in self.rows if row.mobile in wanted)

    def channel(self, transport: str) -> str:
        """Always BatchSms.ashx."""
        return self.KIND

    def only(self, mobiles: Sequence[str]) -> BatchJob:
        """The rows of some numbers."""
        wanted = set(mobiles)
        return replace(self, rows=tuple(row for row in self.rows if row.mobile in wanted))

    def check_content(self, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
        """The content rules for every row, each kind of finding once: the first number with it named, and how many
        rows have it (a file of 100,000 texts alike is one answer, not 100,000)."""
        checker = ContentChecker(max_length=ctx.max_content_length, require_signature=ctx.require_signature)
        first: dict[str, tuple[p.Problem, str]] = {}
        rows: dict[str, int] = {}
        for row in self.rows:
            for found in checker.check(row.content):
                first.setdefault(found.kind, (found, row.mobile))
                rows[found.kind] = rows.get(found.kind, 0) + 1
        out = [replace(x, message=f"the message for {mobile}: {x.message}" + (
            f" ({rows[x.kind]} rows)" if rows[x.kind] > 1 else ""),
            params={**x.params, "for_mobile": mobile, "rows": rows[x.kind]})
            for x, mobile in first.values()]
        return [x for x in out if x.blocking], [x for x in out if not x.blocking]

    def chunks(self, mobiles: Sequence[str], sizes: ChunkSizes) -> list[NewChunk]:
        """Requests of at most `rows` rows, each carrying its numbers' texts."""
        text = self.contents()
        size = max(sizes.rows, 1)
        out = []
        for seq, start in enumerate(range(0, len(mobiles), size)):
            part = tuple(mobiles[start:start + size])
            out.append(NewChunk(seq, part, tuple(text[m] for m in part), self.cost(part)))
        return out

    @classmethod
    async def post(cls, client: GatewayClient, send: SendRecord, chunk: ChunkRecord) -> SendReceipt:
        """One point-to-point request of the journaled rows."""
        rows = [p.BatchRow(m, c) for m, c in zip(chunk.mobiles, chunk.rows, strict=True)]
        return await client.send_batch(rows, send.schedule, send.extno)

    @classmethod
    def restore(cls, send: SendRecord, chunks: Sequence[ChunkRecord], mobiles: Sequence[str]) -> BatchJob:
        """The journaled rows of some numbers."""
        texts: dict[str, str] = {}
        for chunk in chunks:
            texts.update(zip(chunk.mobiles, chunk.rows, strict=True))
        return cls(send_time=send.schedule, extno=send.extno, rows=tuple(p.BatchRow(m, texts[m]) for m in mobiles))


@dataclass(frozen=True)
class MmsJob(Job):
    """A packed MMS (TMS) with a subject to many numbers, paid from the MMS balance."""

    KIND: ClassVar[str] = "mms"
    mobiles: tuple[str, ...] = ()
    subject: str = ""
    package: bytes = field(default=b"", repr=False)

    def numbers(self) -> list[str]:
        """The recipients."""
        return list(self.mobiles)

    def contents(self) -> Mapping[str, str]:
        """The subject stands for the content (the rules of SMS do not count an MMS)."""
        return dict.fromkeys(self.mobiles, self.subject)

    def segments(self) -> int:
        """An MMS is one message."""
        return 1

    def cost(self, mobiles: Sequence[str]) -> int:
        """One MMS point per recipient."""
        return p.mms_cost(len(mobiles))

    def channel(self, transport: str) -> str:
        """Always mms.aspx."""
        return self.KIND

    def only(self, mobiles: Sequence[str]) -> MmsJob:
        """The same MMS to some of the numbers."""
        return replace(self, mobiles=tuple(mobiles))

    @property
    def rules_apply(self) -> bool:
        """The two rules count SMS only."""
        return False

    @property
    def mms(self) -> bool:
        """Paid from the MMS balance."""
        return True

    def verification(self, mobile: str) -> bool:
        """An MMS is never a verification-code message."""
        return False

    def check_content(self, ctx: JobContext) -> tuple[list[p.Problem], list[p.Problem]]:
        """A subject that can be sent, and a package."""
        errors = []
        if not self.subject.strip():
            errors.append(p.Problem("mms_subject_empty", "an MMS needs a subject", code=3001))
        elif broken := p.broken_characters(self.subject):
            errors.append(_problem("mms_subject_broken", "the subject holds broken characters "
                                   f"({p.content.describe_characters(broken)}), e.g. half an emoji; retype them",
                                   characters=broken))
        if not self.package:
            errors.append(_problem("mms_empty", "an MMS needs at least one slide"))
        return errors, []

    def journal(self) -> tuple[str, str, dict[str, object]]:
        """The subject and the package."""
        return "", self.subject, {"package": self.package.hex()}

    @classmethod
    async def post(cls, client: GatewayClient, send: SendRecord, chunk: ChunkRecord) -> SendReceipt:
        """One MMS request of the journaled package."""
        package = bytes.fromhex(str(send.payload.get("package", "")))
        return await client.send_mms(chunk.mobiles, send.subject, package, send.schedule, send.extno)

    @classmethod
    def restore(cls, send: SendRecord, chunks: Sequence[ChunkRecord], mobiles: Sequence[str]) -> MmsJob:
        """The journaled MMS, to some of its numbers."""
        return cls(send_time=send.schedule, extno=send.extno, mobiles=tuple(mobiles), subject=send.subject,
                   package=bytes.fromhex(str(send.payload.get("package", ""))))


JOBS: dict[str, type[Job]] = {job.KIND: job for job in (SmsJob, BatchJob, MmsJob)}


def job_class(send: SendRecord) -> type[Job]:
    """The kind of job a journaled send is."""
    return JOBS[send.kind]

