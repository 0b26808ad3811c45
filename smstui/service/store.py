"""The durable store: SQLite in WAL mode, versioned schema, idempotent ingestion, off the event loop."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from .. import protocol as p
from .errors import StoreError

T = TypeVar("T")

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE sends(
        id TEXT PRIMARY KEY, profile TEXT NOT NULL, kind TEXT NOT NULL, transport TEXT NOT NULL,
        content TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', send_time TEXT NOT NULL DEFAULT '',
        extno TEXT NOT NULL DEFAULT '', segments INTEGER NOT NULL, recipients INTEGER NOT NULL,
        cost INTEGER NOT NULL, created TEXT NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}');
    CREATE TABLE chunks(
        id INTEGER PRIMARY KEY, send_id TEXT NOT NULL REFERENCES sends(id), seq INTEGER NOT NULL,
        state TEXT NOT NULL, mobiles TEXT NOT NULL, rows TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, task_id TEXT NOT NULL DEFAULT '', accepted INTEGER NOT NULL DEFAULT 0,
        balance INTEGER, code INTEGER, message TEXT NOT NULL DEFAULT '', sent_at TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL DEFAULT '', UNIQUE(send_id, seq));
    CREATE INDEX chunks_state ON chunks(state);
    CREATE TABLE tasks(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, send_id TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
        transport TEXT NOT NULL, kind TEXT NOT NULL, content TEXT NOT NULL, segments INTEGER NOT NULL,
        recipients INTEGER NOT NULL, cost INTEGER NOT NULL, PRIMARY KEY(profile, task_id));
    CREATE TABLE recipients(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, mobile TEXT NOT NULL, sent_at TEXT NOT NULL,
        verification INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(profile, task_id, mobile));
    CREATE INDEX recipients_mobile ON recipients(profile, mobile, sent_at);
    CREATE TABLE reports(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, mobile TEXT NOT NULL, status INTEGER NOT NULL,
        receive_time TEXT NOT NULL, error_code TEXT NOT NULL, extno TEXT NOT NULL, status_derived INTEGER NOT NULL,
        received_at TEXT NOT NULL, PRIMARY KEY(profile, task_id, mobile)) WITHOUT ROWID;
    CREATE INDEX reports_received ON reports(profile, received_at);
    CREATE TABLE uplinks(
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, mobile TEXT NOT NULL, content TEXT NOT NULL,
        receive_time TEXT NOT NULL, extno TEXT NOT NULL, received_at TEXT NOT NULL, optout INTEGER NOT NULL DEFAULT 0,
        UNIQUE(profile, mobile, content, receive_time, extno));
    CREATE TABLE templates(
        profile TEXT NOT NULL, template_id TEXT NOT NULL, status INTEGER NOT NULL, text TEXT NOT NULL,
        seen_at TEXT NOT NULL, PRIMARY KEY(profile, template_id));
    CREATE TABLE optouts(
        profile TEXT NOT NULL, mobile TEXT NOT NULL, source TEXT NOT NULL, added_at TEXT NOT NULL,
        PRIMARY KEY(profile, mobile));
    CREATE TABLE raw_replies(
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL, error TEXT NOT NULL,
        received_at TEXT NOT NULL, replayed INTEGER NOT NULL DEFAULT 0);
    """,
    # 2: which process holds a chunk in flight (a live one's chunks are not its crash to clean up)
    """
    ALTER TABLE chunks ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    CREATE INDEX reports_mobile ON reports(profile, mobile);
    """,
]


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A delivery report as kept in the store."""

    task_id: str
    mobile: str
    status: int
    receive_time: str
    error_code: str
    extno: str
    received_at: str

    @property
    def delivered(self) -> bool:
        """Whether the message reached the handset."""
        return self.status == 10


@dataclass(frozen=True, slots=True)
class StoredUplink:
    """An uplink (reply) as kept in the store."""

    id: int
    mobile: str
    content: str
    receive_time: str
    extno: str
    received_at: str
    optout: bool


@dataclass(frozen=True, slots=True)
class Ingested:
    """What an ingestion added: new items (duplicates already stored are not counted)."""

    new: int
    duplicates: int
    optouts: list[str]


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _real_now() -> datetime:
    return datetime.now(p.BEIJING)


_OPEN_HERE: set[str] = set()  # owners of the stores open in this process


def owner_alive(owner: str) -> bool:
    """Whether the store that wrote `owner` on a chunk may still be sending it (another host's: assume so)."""
    host, _, rest = owner.partition(":")
    pid, _, _ = rest.partition(":")
    if not host or not pid.isdigit():
        return False  # written before owners were recorded
    if host != socket.gethostname():
        return True
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


class Store:
    """One SQLite database; every call runs on one worker thread so the event loop never blocks."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime] = _real_now) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self.clock = clock  # the service's clock: times the store writes compare with the times it is given
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # written on the chunks it sends
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smstui-store")
        self._db: sqlite3.Connection | None = None
        self._json = False

    def _now(self) -> str:
        return _time(self.clock())

    # -- plumbing ---------------------------------------------------------------------------------

    async def open(self) -> Store:
        """Open (creating the file and directory) and migrate to the current schema."""
        await self._run(self._open)
        _OPEN_HERE.add(self.owner)
        return self

    def _open(self) -> None:
        try:
            if isinstance(self.path, Path):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if not self.path.exists():  # it holds customers' numbers and messages: owner only
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=5000")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        self._db = db
        try:
            self._json = db.execute("SELECT json_valid('[]')").fetchone()[0] == 1
        except sqlite3.Error:  # an SQLite built without JSON
            self._json = False
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer smstui (schema {version}); upgrade smstui")
        for number in range(version, len(MIGRATIONS)):
            with self._tx():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={number + 1}")

    def _tx(self):
        db = self._db
        assert db is not None

        class _Tx:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, kind, exc, tb):
                db.execute("ROLLBACK" if kind else "COMMIT")
                return False

        return _Tx()

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn, *args)
        except sqlite3.Error as exc:
            raise StoreError(f"database error in {self.path}: {exc}") from exc

    async def close(self) -> None:
        """Close the database and its thread."""
        _OPEN_HERE.discard(self.owner)
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        self._executor.shutdown(wait=True)

    @property
    def db(self) -> sqlite3.Connection:
        """The connection (only for code already on the store's thread)."""
        assert self._db is not None, "the store is not open"
        return self._db

    async def schema_version(self) -> int:
        """The schema version of the open database."""
        return await self._run(lambda: self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- sends and the journal --------------------------------------------------------------------

    async def create_send(self, send: dict[str, Any], chunks: Sequence[dict[str, Any]]) -> None:
        """Journal a send and all its chunks (state `pending`) in one transaction, before anything goes out."""

        def work() -> None:
            with self._tx():
                self._insert_send(send, chunks)

        await self._run(work)

    def _insert_send(self, send: dict[str, Any], chunks: Sequence[dict[str, Any]]) -> None:
        self.db.execute(
            "INSERT INTO sends(id, profile, kind, transport, content, subject, send_time, extno, segments,"
            " recipients, cost, created, state, payload) VALUES(:id, :profile, :kind, :transport, :content,"
            " :subject, :send_time, :extno, :segments, :recipients, :cost, :created, 'open', :payload)",
            send,
        )
        self.db.executemany(
            "INSERT INTO chunks(send_id, seq, state, mobiles, rows, count, updated) VALUES(?, ?, 'pending', ?, ?, ?, ?)",
            [(send["id"], c["seq"], c["mobiles"], c.get("rows", ""), c["count"], self._now()) for c in chunks],
        )

    async def replace_unknown(self, chunk_ids: Sequence[int], note: str, send: dict[str, Any],
                              chunks: Sequence[dict[str, Any]]) -> bool:
        """Close unknown chunks and journal the send that re-sends their numbers, at once; False (and nothing
        done) when one of them is no longer unknown, i.e. another process got there first."""

        def work() -> bool:
            try:
                with self._tx():
                    if not self._close_unknown(chunk_ids, note):
                        raise _Conflict
                    self._insert_send(send, chunks)
            except _Conflict:
                return False
            return True

        return await self._run(work)

    async def close_unknown(self, chunk_ids: Sequence[int], note: str) -> bool:
        """Close unknown chunks the user decided about; False when one of them is no longer unknown."""

        def work() -> bool:
            with self._tx():
                return self._close_unknown(chunk_ids, note)

        return await self._run(work)

    def _close_unknown(self, chunk_ids: Sequence[int], note: str) -> bool:
        now = self._now()
        closed = sum(self.db.execute(
            "UPDATE chunks SET state='reconciled', message=?, updated=? WHERE id=? AND state='unknown'",
            (note, now, chunk_id)).rowcount for chunk_id in chunk_ids)
        return closed == len(chunk_ids)

    async def unknown_chunks(self, profile: str) -> list[dict[str, Any]]:
        """Every chunk of the profile whose outcome is unknown: id, its numbers (a set) and when it went out."""

        def work() -> list[dict[str, Any]]:
            cursor = self.db.execute(
                "SELECT c.id, c.mobiles, c.sent_at FROM chunks c JOIN sends s ON s.id = c.send_id"
                " WHERE s.profile = ? AND c.state = 'unknown'", (profile,))
            return [{"id": i, "mobiles": set(m.split(",")), "sent_at": at} for i, m, at in cursor]

        return await self._run(work)

    async def mark_chunk(self, chunk_id: int, state: str, *, only_if: str | None = None, **fields: Any) -> bool:
        """Move a chunk to a new state (inflight, accepted, refused, unknown, unsent, reconciled); with `only_if`,
        only from that state (False when it had moved on, e.g. another process closed it meanwhile)."""
        fields = {**fields, "state": state, "updated": self._now()}
        columns = ", ".join(f"{name} = :{name}" for name in fields)
        guard = " AND state = :only_if" if only_if else ""

        def work() -> bool:
            with self._tx():
                cursor = self.db.execute(f"UPDATE chunks SET {columns} WHERE id = :chunk_id{guard}",
                                         {**fields, "chunk_id": chunk_id, "only_if": only_if})
                return cursor.rowcount == 1

        return await self._run(work)

    async def start_chunk(self, chunk_id: int, now: datetime, states: Sequence[str] = ("pending", "unsent")) -> bool:
        """Claim a chunk that is about to go out (a crash from here on makes its outcome unknown).

        False when it is no longer in one of `states`: another process took it, or it was answered meanwhile.
        """

        def work() -> bool:
            with self._tx():
                wanted = list(states)
                cursor = self.db.execute(
                    "UPDATE chunks SET state='inflight', attempts=attempts+1, sent_at=?, updated=?, owner=?"
                    f" WHERE id=? AND state IN ({','.join('?' * len(wanted))})",
                    (_time(now), self._now(), self.owner, chunk_id, *wanted),
                )
                return cursor.rowcount == 1

        return await self._run(work)

    async def accept_chunk(self, chunk_id: int, send: dict[str, Any], receipt: Any, mobiles: Sequence[str],
                           verification: bool, sent_at: datetime) -> None:
        """Record an accepted chunk: its task and every recipient, in one transaction."""

        def work() -> None:
            with self._tx():
                self.db.execute(
                    "UPDATE chunks SET state='accepted', task_id=?, accepted=?, balance=?, message=?, updated=? WHERE id=?",
                    (receipt.task_id, receipt.success_count, receipt.balance, receipt.message, self._now(), chunk_id),
                )
                self.db.execute(
                    "INSERT OR IGNORE INTO tasks(profile, task_id, send_id, created, transport, kind, content, segments,"
                    " recipients, cost) VALUES(?,?,?,?,?,?,?,?,?,?)",
                    (send["profile"], receipt.task_id, send["id"], _time(sent_at), send["transport"], send["kind"],
                     send["content"], send["segments"], len(mobiles), send["segments"] * receipt.success_count),
                )
                self._insert_recipients(send["profile"], receipt.task_id, mobiles, sent_at, verification)

        await self._run(work)

    def _insert_recipients(self, profile: str, task_id: str, mobiles: Sequence[str], sent_at: datetime,
                           verification: bool) -> None:
        columns = "INSERT OR IGNORE INTO recipients(profile, task_id, mobile, sent_at, verification)"
        if self._json:  # one statement over a JSON array: SQLite splits it, far cheaper than 1,000 Python tuples
            self.db.execute(f"{columns} SELECT ?, ?, value, ?, ? FROM json_each(?)",
                            (profile, task_id, _time(sent_at), int(verification), json.dumps(list(mobiles))))
        else:
            self.db.executemany(f"{columns} VALUES(?,?,?,?,?)",
                                [(profile, task_id, m, _time(sent_at), int(verification)) for m in mobiles])

    async def chunks(self, send_id: str, states: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """A send's chunks (optionally only those in some states), in order."""

        def work() -> list[dict[str, Any]]:
            query = "SELECT * FROM chunks WHERE send_id = ?"
            args: list[Any] = [send_id]
            if states is not None:
                wanted = list(states)
                query += f" AND state IN ({','.join('?' * len(wanted))})"
                args += wanted
            cursor = self.db.execute(query + " ORDER BY seq", args)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

        return await self._run(work)

    async def send_record(self, send_id: str) -> dict[str, Any] | None:
        """The journal entry of a send."""

        def work() -> dict[str, Any] | None:
            cursor = self.db.execute("SELECT * FROM sends WHERE id = ?", (send_id,))
            row = cursor.fetchone()
            return dict(zip([d[0] for d in cursor.description], row)) if row else None

        return await self._run(work)

    async def set_send_state(self, send_id: str, state: str) -> None:
        """Mark a send open, done, cancelled or needing reconciliation."""
        await self._run(lambda: self.db.execute("UPDATE sends SET state=? WHERE id=?", (state, send_id)))

    async def unfinished_sends(self, profile: str) -> list[dict[str, Any]]:
        """Sends with chunks not yet answered (pending, inflight, unsent) or waiting for reconciliation."""

        def work() -> list[dict[str, Any]]:
            cursor = self.db.execute(
                "SELECT s.id, s.created, s.recipients, s.content, s.state,"
                " SUM(c.state IN ('pending','unsent')) AS waiting, SUM(c.state='inflight') AS inflight,"
                " SUM(c.state='unknown') AS unknown FROM sends s JOIN chunks c ON c.send_id = s.id"
                " WHERE s.profile = ? GROUP BY s.id HAVING waiting + inflight + unknown > 0 ORDER BY s.created",
                (profile,),
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

        return await self._run(work)

    async def crashed_inflight(self, profile: str) -> int:
        """After a restart: chunks a dead process left `inflight` become `unknown` (never re-sent blindly)."""

        def work() -> int:
            with self._tx():
                rows = self.db.execute(
                    "SELECT id, owner FROM chunks WHERE state='inflight' AND send_id IN (SELECT id FROM sends WHERE profile=?)",
                    (profile,),
                ).fetchall()
                dead = [(self._now(), chunk_id) for chunk_id, owner in rows if not owner_alive(owner)]
                self.db.executemany(
                    "UPDATE chunks SET state='unknown', message='the program stopped while this request was out',"
                    " updated=? WHERE id=? AND state='inflight'",
                    dead,
                )
                return len(dead)

        return await self._run(work)

    # -- history for the sending rules ------------------------------------------------------------

    async def history(self, profile: str, mobiles: Iterable[str], since: datetime) -> dict[str, list[p.SentRecord]]:
        """Earlier accepted sends to these numbers since a time, for check_send_rules."""
        wanted = set(mobiles)

        def work() -> dict[str, list[p.SentRecord]]:
            found: dict[str, list[p.SentRecord]] = {}
            cursor = self.db.execute(
                "SELECT mobile, sent_at, verification FROM recipients WHERE profile = ? AND sent_at >= ?",
                (profile, _time(since)),
            )
            for mobile, sent_at, verification in cursor:
                if mobile in wanted:
                    moment = p.parse_gateway_time(sent_at)
                    if moment is not None:
                        found.setdefault(mobile, []).append(p.SentRecord(moment, bool(verification)))
            return found

        return await self._run(work)

    # -- reports and uplinks ----------------------------------------------------------------------

    async def ingest_reports(self, profile: str, reports: Sequence[p.Report]) -> Ingested:
        """Store reports once each (re-polls and push retries are ignored), in one transaction."""
        now = self._now()
        times: dict[datetime | None, str] = {}
        rows = []
        for r in reports:
            when = times.get(r.receive_time)
            if when is None:
                when = times[r.receive_time] = _time(r.receive_time)
            rows.append((profile, r.task_id, r.mobile, r.status, when or r.receive_time_text, r.error_code, r.extno,
                         int(r.status_derived), now))

        def work() -> Ingested:
            with self._tx():
                before = self.db.total_changes
                self.db.executemany(
                    "INSERT OR IGNORE INTO reports(profile, task_id, mobile, status, receive_time, error_code, extno,"
                    " status_derived, received_at) VALUES(?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                new = self.db.total_changes - before
            return Ingested(new, len(rows) - new, [])

        return await self._run(work)

    async def ingest_uplinks(self, profile: str, uplinks: Sequence[p.Uplink], optout_words: Iterable[str]) -> Ingested:
        """Store uplinks once each; an opt-out reply (TD, 退订, T, …) adds the number to the opt-out list."""
        words = list(optout_words)
        now = self._now()
        rows = []
        optouts = []
        for u in uplinks:
            is_optout = p.is_optout(u.content, words)
            rows.append((profile, u.mobile, u.content, _time(u.receive_time) or u.receive_time_text, u.extno, now, int(is_optout)))
            if is_optout:
                optouts.append(u.mobile)

        def work() -> Ingested:
            with self._tx():
                before = self.db.total_changes
                self.db.executemany(
                    "INSERT OR IGNORE INTO uplinks(profile, mobile, content, receive_time, extno, received_at, optout)"
                    " VALUES(?,?,?,?,?,?,?)",
                    rows,
                )
                new = self.db.total_changes - before
                self.db.executemany(
                    "INSERT OR IGNORE INTO optouts(profile, mobile, source, added_at) VALUES(?, ?, 'reply', ?)",
                    [(profile, m, now) for m in optouts],
                )
            return Ingested(new, len(rows) - new, optouts)

        return await self._run(work)

    async def keep_raw(self, profile: str, kind: str, body: bytes, error: str) -> int:
        """Keep a reply body that could not be parsed or stored, for replay."""

        def work() -> int:
            with self._tx():
                cursor = self.db.execute(
                    "INSERT INTO raw_replies(profile, kind, body, error, received_at) VALUES(?,?,?,?,?)",
                    (profile, kind, body, error, self._now()),
                )
                return int(cursor.lastrowid)

        return await self._run(work)

    async def raw_replies(self, profile: str, include_replayed: bool = False) -> list[dict[str, Any]]:
        """Kept reply bodies (not yet replayed, unless asked)."""

        def work() -> list[dict[str, Any]]:
            query = "SELECT id, kind, body, error, received_at, replayed FROM raw_replies WHERE profile = ?"
            if not include_replayed:
                query += " AND replayed = 0"
            cursor = self.db.execute(query + " ORDER BY id", (profile,))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

        return await self._run(work)

    async def mark_replayed(self, raw_id: int) -> None:
        """A kept body was ingested after all."""
        await self._run(lambda: self.db.execute("UPDATE raw_replies SET replayed = 1 WHERE id = ?", (raw_id,)))

    async def reports(self, profile: str, task_id: str | None = None, limit: int = 1000, offset: int = 0) -> list[StoredReport]:
        """Stored reports, newest first (of one task, if given)."""

        def work() -> list[StoredReport]:
            query = "SELECT task_id, mobile, status, receive_time, error_code, extno, received_at FROM reports WHERE profile = ?"
            args: list[Any] = [profile]
            if task_id:
                query += " AND task_id = ?"
                args.append(task_id)
            query += " ORDER BY received_at DESC, receive_time DESC, task_id, mobile LIMIT ? OFFSET ?"
            return [StoredReport(*row) for row in self.db.execute(query, [*args, limit, offset])]

        return await self._run(work)

    async def reports_for(self, profile: str, mobiles: Iterable[str], received_since: str) -> list[StoredReport]:
        """Reports for some numbers that reached this store at or after a time of its clock (for reconciliation)."""
        wanted = sorted(set(mobiles))

        def work() -> list[StoredReport]:
            found: list[StoredReport] = []
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                cursor = self.db.execute(
                    "SELECT task_id, mobile, status, receive_time, error_code, extno, received_at FROM reports"
                    f" WHERE profile = ? AND received_at >= ? AND mobile IN ({','.join('?' * len(part))})",
                    (profile, received_since, *part),
                )
                found += [StoredReport(*row) for row in cursor]
            return found

        return await self._run(work)

    async def uplinks(self, profile: str, limit: int = 1000, offset: int = 0) -> list[StoredUplink]:
        """Stored uplinks, newest first."""

        def work() -> list[StoredUplink]:
            cursor = self.db.execute(
                "SELECT id, mobile, content, receive_time, extno, received_at, optout FROM uplinks WHERE profile = ?"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                (profile, limit, offset),
            )
            return [StoredUplink(*row[:6], bool(row[6])) for row in cursor]

        return await self._run(work)

    async def claimed_task_ids(self, profile: str, except_chunk: int) -> set[str]:
        """Task ids that belong to other chunks of the profile (accepted, or adopted by reconciliation)."""

        def work() -> set[str]:
            cursor = self.db.execute(
                "SELECT c.task_id FROM chunks c JOIN sends s ON s.id = c.send_id"
                " WHERE s.profile = ? AND c.id != ? AND c.task_id != ''",
                (profile, except_chunk),
            )
            return {task for (ids,) in cursor for task in ids.split(",") if task}

        return await self._run(work)

    async def record_task(self, profile: str, send_id: str, task_id: str, mobiles: Sequence[str], send: dict[str, Any],
                          sent_at: datetime, verification: bool) -> None:
        """Adopt a task found by reconciliation, with the recipients its reports proved."""

        def work() -> None:
            with self._tx():
                self.db.execute(
                    "INSERT OR IGNORE INTO tasks(profile, task_id, send_id, created, transport, kind, content, segments,"
                    " recipients, cost) VALUES(?,?,?,?,?,?,?,?,?,?)",
                    (profile, task_id, send_id, _time(sent_at), send["transport"], send["kind"], send["content"],
                     send["segments"], len(mobiles), send["segments"] * len(mobiles)),
                )
                self._insert_recipients(profile, task_id, mobiles, sent_at, verification)

        await self._run(work)

    # -- opt-outs and templates -------------------------------------------------------------------

    async def optouts(self, profile: str) -> dict[str, str]:
        """The opt-out list: number → how it got there."""
        return await self._run(
            lambda: dict(self.db.execute("SELECT mobile, source FROM optouts WHERE profile = ?", (profile,)).fetchall())
        )

    async def add_optout(self, profile: str, mobile: str, source: str = "manual") -> None:
        """Put a number on the opt-out list."""
        await self._run(lambda: self.db.execute(
            "INSERT OR IGNORE INTO optouts(profile, mobile, source, added_at) VALUES(?,?,?,?)",
            (profile, mobile, source, self._now())))

    async def remove_optout(self, profile: str, mobile: str) -> None:
        """Take a number off the opt-out list."""
        await self._run(lambda: self.db.execute("DELETE FROM optouts WHERE profile = ? AND mobile = ?", (profile, mobile)))

    async def save_templates(self, profile: str, templates: Sequence[p.Template], replace_all: bool = False) -> None:
        """Remember templates seen on the gateway (all of them, when the list is complete)."""

        def work() -> None:
            with self._tx():
                if replace_all:
                    self.db.execute("DELETE FROM templates WHERE profile = ?", (profile,))
                self.db.executemany(
                    "INSERT OR REPLACE INTO templates(profile, template_id, status, text, seen_at) VALUES(?,?,?,?,?)",
                    [(profile, t.template_id, int(t.status), t.text, self._now()) for t in templates],
                )

        await self._run(work)

    async def forget_template(self, profile: str, template_id: str) -> None:
        """Drop a deleted template."""
        await self._run(lambda: self.db.execute(
            "DELETE FROM templates WHERE profile = ? AND template_id = ?", (profile, template_id)))

    async def templates(self, profile: str) -> list[p.Template]:
        """Templates last seen on the gateway."""
        return await self._run(lambda: [
            p.Template(*row) for row in self.db.execute(
                "SELECT template_id, status, text FROM templates WHERE profile = ? ORDER BY template_id", (profile,))
        ])

    async def counts(self, profile: str) -> dict[str, int]:
        """How many tasks, reports, uplinks and opt-outs the store holds for a profile."""

        def work() -> dict[str, int]:
            out = {}
            for table in ("tasks", "reports", "uplinks", "optouts", "raw_replies"):
                out[table] = self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE profile = ?", (profile,)).fetchone()[0]
            return out

        return await self._run(work)


def day_start(moment: datetime) -> datetime:
    """Midnight (Beijing) of the day of an instant, for loading today's history."""
    local = p.to_beijing(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def history_since(now: datetime, window: timedelta = p.rules.VERIFICATION_WINDOW) -> datetime:
    """The earliest send time the two rules can look at."""
    return min(day_start(now), p.to_beijing(now) - window)


__all__ = ["Store", "StoredReport", "StoredUplink", "Ingested", "MIGRATIONS", "history_since", "owner_alive"]
