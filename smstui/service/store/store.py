"""The durable store: the journal, reports, replies, rules history and templates, on SQLite or PostgreSQL, off the
event loop (every call runs on the store's one thread)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from ... import protocol as p
from ...runtime.locations import state_dir
from ..errors import StoreError
from ..secrets import Secret
from .engine import Database, PostgresDb, SqliteDb, is_postgres, redacted
from .lists import Lists
from .records import (
    ChunkRecord,
    Gap,
    InDoubt,
    Ingested,
    KeptBody,
    NewChunk,
    QueryState,
    Resumable,
    SendRecord,
    StoredReport,
    StoredUplink,
    Supersedes,
    UnfinishedSend,
)
from .schema import MIGRATIONS
from .schema_pg import SCHEMA

T = TypeVar("T")


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


_OPEN_HERE: set[str] = set()  # owners of the stores open in this process


def session_name(owner: str) -> str:
    """The application_name of a store's PostgreSQL sessions: its owner's own part (the host's may be long)."""
    return "smstui " + owner.rsplit(":", 1)[-1]


def owner_alive(owner: str, sessions: frozenset[str] | None = None) -> bool:
    """Whether the store that wrote `owner` on a chunk or query may still be at work; another host's is alive
    while its session is on the shared database (`sessions`), and assumed so when that cannot be seen."""
    host, _, rest = owner.partition(":")
    pid, _, _ = rest.partition(":")
    if not host or not pid.isdigit():
        return False  # written before owners were recorded
    if host != socket.gethostname():
        return sessions is None or session_name(owner) in sessions
    if int(pid) == os.getpid():
        return owner in _OPEN_HERE
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Conflict(Exception):
    """Rolls a transaction back: another process changed what it was about to change."""


_ACCOUNT_TABLES = {  # every table of an account's rows, with what else makes a row unique in it
    "sends": (), "tasks": ("task_id",), "recipients": ("task_id", "mobile"), "reports": ("task_id", "mobile"),
    "uplinks": ("mobile", "content", "receive_time", "extno"), "threads": ("mobile",), "templates": ("template_id",),
    "optouts": ("mobile",), "optout_log": (), "raw_replies": (), "queries": (), "notices": ("notice",),
}


TABLES = ("sends", "chunks", "tasks", "recipients", "reports", "uplinks", "threads", "templates", "optouts",
          "optout_log", "raw_replies", "queries", "adopted", "notices")  # every table, parents before children
_NUMBERED = {"chunks", "uplinks", "optout_log", "raw_replies", "queries"}  # ids the database hands out
HELD_AT_CLAIM = "held back: the number opted out after the send was planned"
LEASE = 600.0  # seconds a claim on a chunk lasts (longer than any request may wait for its reply)


def _count(condition: str) -> str:
    """SQL counting the rows of a group where a condition holds (the same in SQLite and PostgreSQL)."""
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _said(exc: BaseException) -> str:
    """What a database error says, on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


class Store(Lists):
    """One database (a SQLite file, or PostgreSQL for a team); every call runs on one worker thread so the event
    loop never blocks."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime] = p.beijing_now,
                 password: Secret | None = None) -> None:
        self.path: Path | str = path if is_postgres(path) or str(path) == ":memory:" else Path(path)
        self.clock = clock  # the service's clock: times the store writes compare with the times it is given
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # written on the chunks it sends
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smstui-store")
        self._db: Database | None = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._memory_spool: Any = None
        self._password = password  # a PostgreSQL store's, from the config's secret sources

    def _now(self) -> str:
        return _time(self.clock())

    # -- plumbing ---------------------------------------------------------------------------------

    async def open(self) -> Store:
        """Open (creating the file and directory) and migrate to the current schema."""
        await self._run(self._open)
        _OPEN_HERE.add(self.owner)
        return self

    @property
    def where(self) -> str:
        """The database as it may be shown (a URL's password hidden)."""
        return redacted(self.path)

    def _open(self) -> None:
        try:
            if is_postgres(self.path):
                import psycopg

                self._errors = (OSError, psycopg.Error)
                secret = self._password.reveal() if self._password is not None else None
                db: Database = PostgresDb(str(self.path), SCHEMA, len(MIGRATIONS), secret, session_name(self.owner))
            else:
                import sqlite3

                self._errors = (OSError, sqlite3.Error)
                db = SqliteDb(self.path, MIGRATIONS)
        except ImportError:
            raise StoreError(f"{self.where} is a PostgreSQL database: install smstui[postgres] (psycopg)").words(
                "store_no_psycopg", where=self.where) from None
        except self._errors as exc:
            raise StoreError(f"cannot open the database {self.where}: {_said(exc)}").words(
                "store_open", where=self.where, why=_said(exc)) from None
        self._db = db
        version = db.version()
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.where} was written by a newer smstui (schema {version}); upgrade smstui").words(
                "store_newer", where=self.where, version=version)
        db.migrate(len(MIGRATIONS))

    @contextmanager
    def _tx(self) -> Iterator[None]:
        """One write transaction, rolled back on any failure; other processes on the database are told of it."""
        with self.db.transaction():
            yield
            self.db.notify()

    async def _run_elsewhere(self, fn: Callable[[], T]) -> T:
        """Run on a thread of its own (a long read on a second connection), errors told the store's way."""
        try:
            return await asyncio.to_thread(fn)
        except self._errors as exc:
            raise StoreError(f"database error in {self.where}: {_said(exc)}").words(
                "store_error", where=self.where, why=_said(exc)) from exc

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()

        def call() -> T:
            if self._db is not None:
                self._db.ensure()
            return fn(*args)

        try:
            return await loop.run_in_executor(self._executor, call)
        except self._errors as exc:
            raise StoreError(f"database error in {self.where}: {_said(exc)}").words(
                "store_error", where=self.where, why=_said(exc)) from exc

    async def close(self) -> None:
        """Close the database and its thread."""
        _OPEN_HERE.discard(self.owner)
        if self._memory_spool is not None:
            self._memory_spool.cleanup()
            self._memory_spool = None
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        self._executor.shutdown(wait=True)

    def spool_dir(self) -> Path:
        """Where query bodies wait: beside a SQLite file; on this machine for PostgreSQL (the bodies this host read);
        for a store in memory, a directory of its own, gone with it."""
        if isinstance(self.path, Path):
            return self.path.with_name(self.path.name + ".spool")
        if is_postgres(self.path):
            import hashlib

            return state_dir() / "spool" / hashlib.sha256(self.where.encode()).hexdigest()[:16]
        if self._memory_spool is None:
            import tempfile

            self._memory_spool = tempfile.TemporaryDirectory(prefix="smstui-spool-")
        return Path(self._memory_spool.name)

    @property
    def db(self) -> Database:
        """The connection (only for code already on the store's thread)."""
        assert self._db is not None, "the store is not open"
        return self._db

    async def changed_elsewhere(self) -> bool:
        """Whether another connection (another process: a push receiver, a script) committed since the last ask."""

        return await self._run(self.db.changed)

    async def schema_version(self) -> int:
        """The schema version of the open database."""
        return await self._run(self.db.version)

    # -- sends and the journal --------------------------------------------------------------------

    async def create_send(self, send: SendRecord, chunks: Sequence[NewChunk],
                          supersedes: Supersedes | None = None) -> bool:
        """Journal a send and all its chunks (state `pending`) in one transaction, before anything goes out; with
        `supersedes`, close the chunks it takes over in the same transaction. False (nothing done) when one of them
        was no longer in the expected state: another process took them over first."""

        def work() -> bool:
            try:
                with self._tx():
                    if supersedes is not None and not self._close(supersedes):
                        raise _Conflict
                    self._insert_send(send, chunks)
            except _Conflict:
                return False
            return True

        return await self._run(work)

    def _insert_send(self, send: SendRecord, chunks: Sequence[NewChunk]) -> None:
        self.db.execute(
            "INSERT INTO sends(id, account, kind, transport, content, subject, send_time, extno, segments,"
            " recipients, cost, created, state, payload) VALUES(:id, :account, :kind, :transport, :content,"
            " :subject, :send_time, :extno, :segments, :recipients, :cost, :created, :state, :payload)",
            send.row(),
        )
        now = self._now()
        self.db.executemany(
            "INSERT INTO chunks(send_id, seq, state, mobiles, rows, count, cost, updated)"
            " VALUES(?, ?, 'pending', ?, ?, ?, ?, ?)",
            [
                (
                    send.id,
                    c.seq,
                    ",".join(c.mobiles),
                    json.dumps(c.rows, ensure_ascii=False) if c.rows else "",
                    c.count,
                    c.cost,
                    now,
                )
                for c in chunks
            ],
        )

    async def close_chunks(self, supersedes: Supersedes) -> bool:
        """Close chunks the user decided about (all held back: nothing to re-send); False when one had moved on."""

        def work() -> bool:
            with self._tx():
                return self._close(supersedes)

        return await self._run(work)

    def _close(self, supersedes: Supersedes) -> bool:
        now = self._now()
        closed = sum(
            self.db.execute(
                "UPDATE chunks SET state=?, message=?, updated=? WHERE id=? AND state=?",
                (supersedes.becomes, supersedes.note, now, chunk_id, supersedes.state),
            ).rowcount
            for chunk_id in supersedes.chunk_ids
        )
        return closed == len(supersedes.chunk_ids)

    async def unknown_chunks(self, account: str) -> list[InDoubt]:
        """Every chunk of the account whose outcome is unknown: its numbers and when it went out."""

        def work() -> list[InDoubt]:
            cursor = self.db.execute(
                "SELECT c.id, c.send_id, c.mobiles, c.sent_at FROM chunks c JOIN sends s ON s.id = c.send_id"
                " WHERE s.account = ? AND c.state = 'unknown'",
                (account,),
            )
            return [InDoubt(i, send, frozenset(m.split(",")), at) for i, send, m, at in cursor]

        return await self._run(work)

    async def mark_chunk(self, chunk_id: int, state: str, *, only_if: str | None = None, **fields: Any) -> bool:
        """Move a chunk to a new state (inflight, accepted, refused, unknown, unsent, reconciled); with `only_if`,
        only from that state (False when it had moved on, e.g. another process closed it meanwhile)."""
        fields = {**fields, "state": state, "updated": self._now()}
        columns = ", ".join(f"{name} = :{name}" for name in fields)
        guard = " AND state = :only_if" if only_if else ""

        def work() -> bool:
            with self._tx():
                cursor = self.db.execute(
                    f"UPDATE chunks SET {columns} WHERE id = :chunk_id{guard}",
                    {**fields, "chunk_id": chunk_id, "only_if": only_if},
                )
                return cursor.rowcount == 1

        return await self._run(work)

    async def start_chunk(self, chunk_id: int, now: datetime, states: Sequence[str] = ("pending", "unsent"),
                          lease: float = LEASE) -> ChunkRecord | None:
        """Claim a chunk that is about to go out (a crash from here on makes its outcome unknown), for `lease`
        seconds of the database's clock (after which another host may call it in doubt: the request cannot still
        be waiting for its reply). Numbers that opted out since it was planned (on any host of a shared store) are
        taken out in the same transaction, journaled as held back: the chunk as it goes out.

        None when it is no longer in one of `states`: another process took it, or it was answered meanwhile.
        """

        def work() -> ChunkRecord | None:
            with self._tx():
                wanted = list(states)
                cursor = self.db.execute(
                    "UPDATE chunks SET state='inflight', attempts=attempts+1, sent_at=?, updated=?, owner=?,"
                    f" lease={self.db.clock('?')} WHERE id=? AND state IN ({','.join('?' * len(wanted))})",
                    (_time(now), self._now(), self.owner, int(lease), chunk_id, *wanted),
                )
                if cursor.rowcount != 1:
                    return None
                chunk = ChunkRecord.from_row(_dicts(self.db.execute("SELECT * FROM chunks WHERE id=?",
                                                                    (chunk_id,)))[0])
                return self._without_optouts(chunk)

        return await self._run(work)

    def _without_optouts(self, chunk: ChunkRecord) -> ChunkRecord | None:
        """The claimed chunk without the numbers now on the opt-out list (those go to a held chunk of their own)."""
        account, planned = self.db.execute("SELECT account, created FROM sends WHERE id=?",
                                           (chunk.send_id,)).fetchone()
        held: set[str] = set()
        for start in range(0, len(chunk.mobiles), 500):  # opted out before planning: the user's choice to send
            part = chunk.mobiles[start : start + 500]
            held.update(m for (m,) in self.db.execute(
                "SELECT mobile FROM optouts WHERE account=? AND added_at > ?"
                f" AND mobile IN ({','.join('?' * len(part))})", (account, planned, *part)))
        if not held:
            return chunk
        keep = [i for i, m in enumerate(chunk.mobiles) if m not in held]
        gone = [i for i, m in enumerate(chunk.mobiles) if m in held]

        def rows(indexes: list[int]) -> str:
            return json.dumps([chunk.rows[i] for i in indexes], ensure_ascii=False) if chunk.rows else ""

        def cost(indexes: list[int]) -> int:
            if chunk.rows:
                return sum(p.segments(chunk.rows[i]) for i in indexes)
            return chunk.cost * len(indexes) // max(chunk.count, 1)

        if not keep:
            self.db.execute("UPDATE chunks SET state='refused', message=? WHERE id=?", (HELD_AT_CLAIM, chunk.id))
            return None
        seq = self.db.execute("SELECT MAX(seq) FROM chunks WHERE send_id=?", (chunk.send_id,)).fetchone()[0] + 1
        self.db.execute(
            "INSERT INTO chunks(send_id, seq, state, mobiles, rows, count, cost, message, updated)"
            " VALUES(?, ?, 'refused', ?, ?, ?, 0, ?, ?)",
            (chunk.send_id, seq, ",".join(chunk.mobiles[i] for i in gone), rows(gone), len(gone), HELD_AT_CLAIM,
             self._now()))
        self.db.execute("UPDATE chunks SET mobiles=?, rows=?, count=?, cost=? WHERE id=?",
                        (",".join(chunk.mobiles[i] for i in keep), rows(keep), len(keep), cost(keep), chunk.id))
        return ChunkRecord.from_row(_dicts(self.db.execute("SELECT * FROM chunks WHERE id=?", (chunk.id,)))[0])

    async def accept_chunk(self, chunk_id: int, send: SendRecord, receipt: Any, mobiles: Sequence[str],
                           verification: bool, sent_at: datetime) -> None:
        """Record an accepted chunk: its task and every recipient, in one transaction."""

        def work() -> None:
            with self._tx():
                self.db.execute(
                    "UPDATE chunks SET state='accepted', task_id=?, accepted=?, balance=?, message=?, updated=?"
                    " WHERE id=?",
                    (receipt.task_id, receipt.success_count, receipt.balance, receipt.message, self._now(), chunk_id),
                )
                self._insert_task(send, receipt.task_id, mobiles, receipt.success_count, sent_at, verification)

        await self._run(work)

    def _insert_task(self, send: SendRecord, task_id: str, mobiles: Sequence[str], accepted: int, sent_at: datetime,
                     verification: bool) -> None:
        """A task of a send and its recipients (once: a task seen again keeps what was first recorded)."""
        self.db.execute(
            "INSERT INTO tasks(account, task_id, send_id, created, transport, kind, content,"
            " segments, recipients, cost) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (send.account, task_id, send.id, _time(sent_at), send.transport, send.kind, send.content, send.segments,
             len(mobiles), send.segments * accepted),
        )
        self._insert_recipients(send.account, task_id, mobiles, sent_at, verification)

    def _insert_recipients(
        self, account: str, task_id: str, mobiles: Sequence[str], sent_at: datetime, verification: bool
    ) -> None:
        self.db.insert_values("INSERT INTO recipients(account, task_id, mobile, sent_at, verification)",
                              (account, task_id), mobiles, (_time(sent_at), int(verification)))

    async def chunks(self, send_id: str, states: Iterable[str] | None = None) -> list[ChunkRecord]:
        """A send's chunks (optionally only those in some states), in order."""

        def work() -> list[ChunkRecord]:
            query = "SELECT * FROM chunks WHERE send_id = ?"
            args: list[Any] = [send_id]
            if states is not None:
                wanted = list(states)
                query += f" AND state IN ({','.join('?' * len(wanted))})"
                args += wanted
            return [ChunkRecord.from_row(row) for row in _dicts(self.db.execute(query + " ORDER BY seq", args))]

        return await self._run(work)

    async def send_record(self, send_id: str) -> SendRecord | None:
        """The journal entry of a send."""

        def work() -> SendRecord | None:
            rows = _dicts(self.db.execute("SELECT * FROM sends WHERE id = ?", (send_id,)))
            return SendRecord.from_row(rows[0]) if rows else None

        return await self._run(work)

    async def set_send_state(self, send_id: str, state: str) -> None:
        """Mark a send open, done, cancelled or needing reconciliation."""
        await self._run(lambda: self.db.execute("UPDATE sends SET state=? WHERE id=?", (state, send_id)))

    async def unfinished_sends(self, account: str) -> list[UnfinishedSend]:
        """Sends with chunks not yet answered (pending, inflight, unsent) or waiting for reconciliation."""

        waiting, inflight = _count("c.state IN ('pending', 'unsent')"), _count("c.state = 'inflight'")
        unknown = _count("c.state = 'unknown'")
        open_ = _count("c.state IN ('pending', 'unsent', 'inflight', 'unknown')")

        def work() -> list[UnfinishedSend]:
            cursor = self.db.execute(
                f"SELECT s.id, s.created, s.recipients, s.content, s.state, {waiting}, {inflight}, {unknown}"
                " FROM sends s JOIN chunks c ON c.send_id = s.id WHERE s.account = ? GROUP BY s.id"
                f" HAVING {open_} > 0 ORDER BY s.created",
                (account,),
            )
            return [UnfinishedSend(*row) for row in cursor.fetchall()]

        return await self._run(work)

    async def resumable(self, account: str, kind: str | None = None) -> list[Resumable]:
        """Sends (of one kind) with chunks waiting to go, oldest first: counted in SQL, no chunk's numbers read."""
        waiting = "c.state IN ('pending', 'unsent')"
        answered = "c.state IN ('accepted', 'reconciled')"
        unknown = "c.state = 'unknown'"

        def work() -> list[Resumable]:
            cursor = self.db.execute(
                f"SELECT s.id, s.created, {_count(answered)}, COUNT(*), {_count(waiting)}, {_count(unknown)},"
                f" SUM(CASE WHEN {waiting} THEN c.count ELSE 0 END), s.kind,"
                f" SUM(CASE WHEN {waiting} THEN c.cost ELSE 0 END)"
                " FROM sends s JOIN chunks c ON c.send_id = s.id WHERE s.account = ?"
                + (" AND s.kind = ?" if kind else "") +
                f" GROUP BY s.id HAVING {_count(waiting)} > 0 ORDER BY s.created",
                (account, kind) if kind else (account,))
            return [Resumable(*row) for row in cursor.fetchall()]

        return await self._run(work)

    async def adopt(self, name: str, account: str) -> int:
        """Move rows kept under a profile's name (stores before schema 5, or a renamed profile's) to the account
        they belong to; rows the account already has are the same rows. Once per name: the rows moved."""
        if name == account:
            return 0

        def work() -> int:
            with self._tx():
                if self.db.execute("SELECT 1 FROM adopted WHERE name=?", (name,)).fetchone():
                    return 0
                moved = 0
                for table, keys in _ACCOUNT_TABLES.items():
                    same = "".join(f" AND x.{k} = {table}.{k}" for k in keys)
                    moved += self.db.execute(
                        f"UPDATE {table} SET account=? WHERE account=? AND NOT EXISTS (SELECT 1 FROM {table} x"
                        f" WHERE x.account=?{same})", (account, name, account)).rowcount
                    self.db.execute(f"DELETE FROM {table} WHERE account=?", (name,))  # already the account's
                self.db.execute("INSERT INTO adopted(name, account, adopted_at) VALUES(?,?,?)",
                                (name, account, self._now()))
                return moved

        return await self._run(work)

    async def copy_to(self, other: Store, batch: int = 5000) -> dict[str, int]:
        """Copy every row into another store (SQLite ↔ PostgreSQL), ids kept, rows it has already skipped: run
        again, it copies nothing twice. How many rows each table gained."""
        reader = await self._run(self.db.reader)

        def work() -> dict[str, int]:
            copied: dict[str, int] = {}
            try:
                for table in TABLES:
                    cursor = reader.execute(f"SELECT * FROM {table} ORDER BY 1")
                    columns = [d[0] for d in cursor.description]
                    copied[table] = 0
                    while rows := cursor.fetchmany(batch):
                        with other.db.transaction():
                            copied[table] += other.db.bulk_insert(table, columns, [tuple(r) for r in rows])
                with other.db.transaction():
                    other.db.renumber([t for t in TABLES if t in _NUMBERED])
            finally:
                if reader is not self.db:
                    reader.close()
            return copied

        return await self._run_elsewhere(work)

    async def lead(self, name: str) -> bool:
        """Whether this process leads `name` (one process at a time on a shared database; always on a local one)."""
        return await self._run(self.db.lead, name)

    @property
    def shared(self) -> bool:
        """Whether other hosts may use this database (PostgreSQL): then only the lead polls, and changes come fast."""
        return is_postgres(self.path)

    async def first_notice(self, account: str, notice: str) -> bool:
        """Whether a notice (a warning said once per account) is new; it is remembered from now on."""

        def work() -> bool:
            cursor = self.db.execute("INSERT INTO notices(account, notice, at) VALUES(?,?,?) ON CONFLICT DO NOTHING",
                                     (account, notice, self._now()))
            return cursor.rowcount == 1

        return await self._run(work)

    async def crashed_inflight(self, account: str) -> int:
        """After a restart: chunks a dead process left `inflight` become `unknown` (never re-sent blindly)."""

        def work() -> int:
            with self._tx():
                rows = self.db.execute(
                    f"SELECT id, owner, lease != '' AND lease < {self.db.clock()} FROM chunks WHERE state='inflight'"
                    " AND send_id IN (SELECT id FROM sends WHERE account=?)",
                    (account,),
                ).fetchall()
                dead = [(self._now(), chunk_id) for chunk_id, owner, expired in rows
                        if expired or not owner_alive(owner)]
                self.db.executemany(
                    "UPDATE chunks SET state='unknown', message='the program stopped while this request was out',"
                    " updated=? WHERE id=? AND state='inflight'",
                    dead,
                )
                return len(dead)

        return await self._run(work)

    # -- history for the sending rules ------------------------------------------------------------

    async def history(self, account: str, mobiles: Iterable[str], since: datetime) -> dict[str, list[p.SentRecord]]:
        """Earlier accepted sends to these numbers since a time, for check_send_rules."""
        wanted = set(mobiles)

        def work() -> dict[str, list[p.SentRecord]]:
            found: dict[str, list[p.SentRecord]] = {}
            cursor = self.db.execute(
                "SELECT mobile, sent_at, verification FROM recipients WHERE account = ? AND sent_at >= ?",
                (account, _time(since)),
            )
            for mobile, sent_at, verification in cursor:
                if mobile in wanted:
                    moment = p.parse_gateway_time(sent_at)
                    if moment is not None:
                        found.setdefault(mobile, []).append(p.SentRecord(moment, bool(verification)))
            return found

        return await self._run(work)

    # -- reports and uplinks ----------------------------------------------------------------------

    async def ingest_reports(self, account: str, reports: Sequence[p.Report], query: int | None = None,
                             lost: str = "") -> Ingested:
        """Store reports once each (re-polls and push retries are ignored), in one transaction; with `query`, the
        query that brought them is closed in it too (done, or a gap when part of the body was `lost`: why)."""
        now = self._now()
        times: dict[datetime | None, str] = {}
        rows = []
        for r in reports:
            when = times.get(r.receive_time)
            if when is None:
                when = times[r.receive_time] = _time(r.receive_time)
            rows.append((account, r.task_id, r.mobile, r.status, when or r.receive_time_text, r.error_code, r.extno,
                         int(r.status_derived), now))

        def work() -> Ingested:
            with self._tx():
                new = self.db.bulk_insert("reports", ("account", "task_id", "mobile", "status", "receive_time",
                                                      "error_code", "extno", "status_derived", "received_at"), rows)
                self._close_query(query, lost, len(rows))
            return Ingested(new, len(rows) - new, [])

        return await self._run(work)

    async def ingest_uplinks(self, account: str, uplinks: Sequence[p.Uplink], optout_words: Iterable[str],
                             query: int | None = None, lost: str = "") -> Ingested:
        """Store uplinks once each; an opt-out reply (TD, 退订, T, …) adds the number to the opt-out list; with
        `query`, the query that brought them is closed in the same transaction."""
        words = list(optout_words)
        now = self._now()
        rows = []
        optouts = []
        for u in uplinks:
            is_optout = p.is_optout(u.content, words)
            rows.append((account, u.mobile, u.content, _time(u.receive_time) or u.receive_time_text, u.extno, now,
                         int(is_optout), 0))
            if is_optout:
                optouts.append(u.mobile)

        def work() -> Ingested:
            with self._tx():
                new = self.db.bulk_insert("uplinks", ("account", "mobile", "content", "receive_time", "extno",
                                                      "received_at", "optout", "seen"), rows)
                if new:
                    self._thread(account, {row[1] for row in rows})
                self.db.executemany(
                    "INSERT INTO optouts(account, mobile, source, added_at) VALUES(?, ?, 'reply', ?)"
                    " ON CONFLICT DO NOTHING",
                    [(account, m, now) for m in optouts],
                )
                self._close_query(query, lost, len(rows))
            return Ingested(new, len(rows) - new, optouts)

        return await self._run(work)

    def _thread(self, account: str, mobiles: set[str]) -> None:
        """Bring the threads of these numbers up to date with their replies (in the caller's transaction)."""
        numbers = sorted(mobiles)
        for start in range(0, len(numbers), 500):
            part = numbers[start : start + 500]
            self.db.execute(
                "INSERT INTO threads(account, mobile, last_id, count, unread)"
                f" SELECT account, mobile, MAX(id), COUNT(*), {_count('seen = 0')} FROM uplinks"
                f" WHERE account = ? AND mobile IN ({','.join('?' * len(part))}) GROUP BY account, mobile"
                " ON CONFLICT(account, mobile) DO UPDATE SET last_id = excluded.last_id, count = excluded.count,"
                " unread = excluded.unread", (account, *part))

    # -- the query journal ------------------------------------------------------------------------

    async def open_query(self, account: str, kind: str, task_id: str = "") -> int:
        """Journal a report or uplink query before it goes out (committed): a crash from here may lose its body."""

        def work() -> int:
            cursor = self.db.execute(
                "INSERT INTO queries(account, kind, task_id, owner, started_at, state) VALUES(?,?,?,?,?,'open')"
                " RETURNING id", (account, kind, task_id or "", self.owner, self._now()))
            return int(cursor.fetchone()[0])

        return await self._run(work)

    async def close_query(self, query: int, state: QueryState, note: str = "", items: int = 0) -> None:
        """End a query: done, clean (nothing could have been handed out) or a gap (a body may have been lost)."""

        def work() -> None:
            self.db.execute("UPDATE queries SET state=?, ended_at=?, note=?, items=? WHERE id=? AND state='open'",
                            (state, self._now(), note, items, query))

        await self._run(work)

    def _close_query(self, query: int | None, lost: str, items: int) -> None:  # lost: a cause of GAP_CAUSES
        if query is not None:
            self.db.execute(
                "UPDATE queries SET state=?, ended_at=?, items=?, note=? WHERE id=? AND state IN ('open', 'gap')",
                (QueryState.GAP if lost else QueryState.DONE, self._now(), items, lost, query))

    def _sessions(self) -> frozenset[str] | None:
        """Who is on a shared database now, when this store can see itself among them (not behind a pooler)."""
        names = self.db.sessions()
        return names if names is not None and session_name(self.owner) in names else None

    async def crashed_queries(self, account: str) -> int:
        """Queries a dead process left open are gaps (the body they were fetching may be lost): asked at every
        start, and by a poller each round, so one that takes over from a dead one records what it lost."""

        def work() -> int:
            rows = self.db.execute("SELECT id, owner FROM queries WHERE account=? AND state='open' AND owner<>?",
                                   (account, self.owner)).fetchall()
            if not rows:
                return 0  # the common case: nothing written, so nobody else is told of a change
            sessions = self._sessions()
            dead = [(self._now(), "crashed", query) for query, owner in rows if not owner_alive(owner, sessions)]
            if not dead:
                return 0
            with self._tx():
                return self.db.executemany(
                    "UPDATE queries SET state='gap', ended_at=?, note=? WHERE id=? AND state='open'", dead)

        return await self._run(work)

    async def gaps(self, account: str, kind: str | None = None) -> list[Gap]:
        """The queries of an account whose bodies may have been lost, not yet accepted by the user."""

        def work() -> list[Gap]:
            query = ("SELECT id, kind, task_id, started_at, ended_at, items, note FROM queries"
                     " WHERE account=? AND state='gap' AND resolved=0")
            args: list[Any] = [account]
            if kind:
                query += " AND kind=?"
                args.append(kind)
            return [Gap(*row) for row in self.db.execute(query + " ORDER BY id", args)]

        return await self._run(work)

    async def resolve_gaps(self, account: str, ids: Sequence[int] | None = None) -> int:
        """The user accepts that what these gaps lost is lost (all of the account's, without ids)."""

        def work() -> int:
            if ids is None:
                return self.db.execute("UPDATE queries SET resolved=1 WHERE account=? AND state='gap'",
                                       (account,)).rowcount
            return sum(self.db.execute("UPDATE queries SET resolved=1 WHERE account=? AND id=? AND state='gap'",
                                       (account, i)).rowcount for i in ids)

        return await self._run(work)

    async def keep_raw(self, account: str, kind: str, body: bytes, error: str) -> int:
        """Keep a reply body that could not be parsed or stored, for replay."""

        def work() -> int:
            with self._tx():
                cursor = self.db.execute(
                    "INSERT INTO raw_replies(account, kind, body, error, received_at) VALUES(?,?,?,?,?) RETURNING id",
                    (account, kind, body, error, self._now()),
                )
                return int(cursor.fetchone()[0])

        return await self._run(work)

    async def raw_replies(self, account: str, include_replayed: bool = False) -> list[KeptBody]:
        """Kept reply bodies (not yet replayed, unless asked)."""

        def work() -> list[KeptBody]:
            query = "SELECT id, kind, body, error, received_at, replayed FROM raw_replies WHERE account = ?"
            if not include_replayed:
                query += " AND replayed = 0"
            cursor = self.db.execute(query + " ORDER BY id", (account,))
            return [KeptBody(i, kind, bytes(body), error, at, bool(done)) for i, kind, body, error, at, done in cursor]

        return await self._run(work)

    async def mark_replayed(self, raw_id: int) -> None:
        """A kept body was ingested after all."""
        await self._run(lambda: self.db.execute("UPDATE raw_replies SET replayed = 1 WHERE id = ?", (raw_id,)))

    async def reports(
        self, account: str, task_id: str | None = None, limit: int = 1000, offset: int = 0
    ) -> list[StoredReport]:
        """Stored reports, newest first (of one task, if given)."""

        def work() -> list[StoredReport]:
            query = ("SELECT task_id, mobile, status, receive_time, error_code, extno, received_at FROM reports"
                     " WHERE account = ?")
            args: list[Any] = [account]
            if task_id:
                query += " AND task_id = ?"
                args.append(task_id)
            query += " ORDER BY received_at DESC, receive_time DESC, task_id, mobile LIMIT ? OFFSET ?"
            return [StoredReport(*row) for row in self.db.execute(query, [*args, limit, offset])]

        return await self._run(work)

    async def reports_for(self, account: str, mobiles: Iterable[str], received_since: str) -> list[StoredReport]:
        """Reports for some numbers that reached this store at or after a time of its clock (for reconciliation)."""
        wanted = sorted(set(mobiles))

        def work() -> list[StoredReport]:
            found: list[StoredReport] = []
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                cursor = self.db.execute(
                    "SELECT task_id, mobile, status, receive_time, error_code, extno, received_at FROM reports"
                    f" WHERE account = ? AND received_at >= ? AND mobile IN ({','.join('?' * len(part))})",
                    (account, received_since, *part),
                )
                found += [StoredReport(*row) for row in cursor]
            return found

        return await self._run(work)

    async def uplinks(self, account: str, limit: int = 1000, offset: int = 0) -> list[StoredUplink]:
        """Stored uplinks, newest first."""

        def work() -> list[StoredUplink]:
            cursor = self.db.execute(
                "SELECT id, mobile, content, receive_time, extno, received_at, optout FROM uplinks WHERE account = ?"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                (account, limit, offset),
            )
            return [StoredUplink(i, mobile, content, receive_time, extno, received_at, bool(optout))
                    for i, mobile, content, receive_time, extno, received_at, optout in cursor]

        return await self._run(work)

    async def claimed_task_ids(self, account: str, except_chunk: int) -> set[str]:
        """Task ids that belong to other chunks of the account (accepted, or adopted by reconciliation)."""

        def work() -> set[str]:
            cursor = self.db.execute(
                "SELECT c.task_id FROM chunks c JOIN sends s ON s.id = c.send_id"
                " WHERE s.account = ? AND c.id != ? AND c.task_id != ''",
                (account, except_chunk),
            )
            return {task for (ids,) in cursor for task in ids.split(",") if task}

        return await self._run(work)

    async def record_task(self, send: SendRecord, task_id: str, mobiles: Sequence[str], sent_at: datetime,
                          verification: bool) -> None:
        """Adopt a task found by reconciliation, with the recipients its reports proved."""

        def work() -> None:
            with self._tx():
                self._insert_task(send, task_id, mobiles, len(mobiles), sent_at, verification)

        await self._run(work)

    # -- opt-outs and templates -------------------------------------------------------------------

    async def optouts(self, account: str) -> dict[str, str]:
        """The opt-out list: number → how it got there."""
        return await self._run(
            lambda: dict(self.db.execute("SELECT mobile, source FROM optouts WHERE account = ?", (account,)).fetchall())
        )

    async def add_optout(self, account: str, mobile: str, source: str = "manual", reason: str = "") -> bool:
        """Put a number on the opt-out list (logged with why); False when it was on it already."""

        def work() -> bool:
            with self._tx():
                cursor = self.db.execute(
                    "INSERT INTO optouts(account, mobile, source, added_at) VALUES(?,?,?,?) ON CONFLICT DO NOTHING",
                    (account, mobile, source, self._now()))
                if cursor.rowcount:
                    self._log_optout(account, mobile, "add", reason or source)
                return cursor.rowcount == 1

        return await self._run(work)

    async def remove_optout(self, account: str, mobile: str, reason: str = "") -> bool:
        """Take a number off the opt-out list, recording why; False when it was not on it."""

        def work() -> bool:
            with self._tx():
                cursor = self.db.execute("DELETE FROM optouts WHERE account = ? AND mobile = ?", (account, mobile))
                if cursor.rowcount:
                    self._log_optout(account, mobile, "remove", reason)
                return cursor.rowcount == 1

        return await self._run(work)

    def _log_optout(self, account: str, mobile: str, action: str, reason: str) -> None:
        self.db.execute("INSERT INTO optout_log(account, mobile, action, reason, at) VALUES(?,?,?,?,?)",
                        (account, mobile, action, reason, self._now()))

    async def save_templates(self, account: str, templates: Sequence[p.Template], replace_all: bool = False) -> None:
        """Remember templates seen on the gateway (all of them, when the list is complete)."""

        def work() -> None:
            with self._tx():
                if replace_all:
                    self.db.execute("DELETE FROM templates WHERE account = ?", (account,))
                self.db.executemany(
                    "INSERT INTO templates(account, template_id, status, text, seen_at) VALUES(?,?,?,?,?)"
                    " ON CONFLICT(account, template_id) DO UPDATE SET status = excluded.status, text = excluded.text,"
                    " seen_at = excluded.seen_at",
                    [(account, t.template_id, int(t.status), t.text, self._now()) for t in templates],
                )

        await self._run(work)

    async def forget_template(self, account: str, template_id: str) -> None:
        """Drop a deleted template."""
        await self._run(
            lambda: self.db.execute(
                "DELETE FROM templates WHERE account = ? AND template_id = ?", (account, template_id)
            )
        )

    async def templates(self, account: str) -> list[p.Template]:
        """Templates last seen on the gateway."""
        return await self._run(
            lambda: [
                p.Template(*row)
                for row in self.db.execute(
                    "SELECT template_id, status, text FROM templates WHERE account = ? ORDER BY template_id", (account,)
                )
            ]
        )

    async def counts(self, account: str) -> dict[str, int]:
        """How many tasks, reports, uplinks and opt-outs the store holds for an account."""

        def work() -> dict[str, int]:
            out = {}
            for table in ("tasks", "reports", "uplinks", "optouts", "raw_replies"):
                out[table] = self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE account = ?", (account,)).fetchone()[
                    0
                ]
            return out

        return await self._run(work)


def day_start(moment: datetime) -> datetime:
    """Midnight (Beijing) of the day of an instant, for loading today's history."""
    local = p.to_beijing(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def history_since(now: datetime, window: timedelta = p.rules.VERIFICATION_WINDOW) -> datetime:
    """The earliest send time the two rules can look at."""
    return min(day_start(now), p.to_beijing(now) - window)


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
