"""The database under the store: SQLite (embedded, the default) or PostgreSQL (a team's), behind one small interface.

The store writes its SQL once, in the subset both speak (`?` placeholders, `INSERT … ON CONFLICT`, `RETURNING`,
`CASE`, row values); the PostgreSQL connection turns placeholders into psycopg's. What differs (connecting, the schema
version, telling other processes about changes, bulk inserts) lives here, per engine.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...runtime.files import private_file

_PLACEHOLDER = re.compile(r"\?|(?<![:\w]):([A-Za-z_]\w*)")


def is_postgres(location: str | Path) -> bool:
    """Whether a store location names a PostgreSQL database (`postgresql://…` or `postgres://…`)."""
    return str(location).startswith(("postgresql://", "postgres://"))


def redacted(location: str | Path) -> str:
    """A location fit to show: a URL's password replaced by `***`."""
    text = str(location)
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", text) if is_postgres(text) else text


class Database(ABC):
    """One connection, used from the store's one thread."""

    kind = ""
    errors: tuple[type[BaseException], ...] = ()

    @abstractmethod
    def execute(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """Run one statement; a cursor (fetchone, fetchall, fetchmany, rowcount, description, iteration)."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run one statement per row; how many rows it changed in all."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, rolled back on any failure."""

    @abstractmethod
    def version(self) -> int:
        """The schema version the database holds (0: empty)."""

    @abstractmethod
    def migrate(self, target: int) -> None:
        """Bring the schema to `target`, one version per transaction."""

    @abstractmethod
    def changed(self) -> bool:
        """Whether another connection committed since the last ask."""

    def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
        """Insert many rows, skipping those whose key is there already (in the open transaction); how many new."""
        marks = ", ".join("?" * len(columns))
        return self.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES({marks}) ON CONFLICT DO NOTHING",
                                rows)

    @abstractmethod
    def insert_values(self, sql: str, fixed: Sequence[Any], values: Sequence[str], tail: Sequence[Any]) -> int:
        """`sql` with one row per value (`INSERT … SELECT fixed…, value, tail… FROM <values>`), in one statement."""

    @abstractmethod
    def clock(self, seconds: str = "0") -> str:
        """SQL for the database's own clock (UTC, `YYYY-MM-DD HH:MM:SS`) plus `seconds` (an SQL expression): the one
        clock every host on a shared database agrees on, for leases."""

    def renumber(self, tables: Sequence[str]) -> None:  # noqa: B027 — SQLite's next id is always max + 1
        """After rows were copied in with their ids: the next new id of each table comes after them."""

    def lead(self, name: str) -> bool:
        """Whether this process leads `name` (e.g. an account's polling): one at a time on a shared database, the
        lead dying with its connection. Alone on a local file: always."""
        return True

    @abstractmethod
    def reader(self) -> Database:
        """A second connection for a long read (an export) that must not hold up the store's own work."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def ensure(self) -> None:  # noqa: B027 — a local file does not go away
        """Reconnect if the connection was lost (the database restarted): the next call works again."""

    def notify(self) -> None:  # noqa: B027 — SQLite needs nothing: PRAGMA data_version tells the others
        """Tell other processes on the database that rows changed (sent when the open transaction commits)."""

    def sessions(self) -> frozenset[str] | None:
        """The names of the sessions connected to a shared database now; None when only this host can use it."""
        return None


class SqliteDb(Database):
    """A local SQLite file in WAL mode (readers never wait for the writer), or a database in memory."""

    kind = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: Path | str, migrations: Sequence[str] = ()) -> None:
        self.path = path
        self.migrations = migrations
        if isinstance(path, Path):
            private_file(path)  # it holds customers' numbers and messages: owner only
        self.connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.connection.execute("PRAGMA busy_timeout=5000")  # first: another process may be creating the file
        self._wal()
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute("PRAGMA foreign_keys=ON")
        try:
            self.json = self.connection.execute("SELECT json_valid('[]')").fetchone()[0] == 1
        except sqlite3.Error:  # an SQLite built without JSON
            self.json = False
        self._data_version = 0

    def _wal(self) -> None:
        """Put the file in WAL mode (it stays so); the switch does not wait for a busy file, so it is tried again."""
        for attempt in range(50):
            try:
                self.connection.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError:  # another process is switching or creating it this moment
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def execute(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return self.connection.execute(sql, args)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        if not rows:
            return 0
        return self.connection.executemany(sql, rows).rowcount

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.connection.execute("BEGIN IMMEDIATE")  # the write lock at once: no deadlock between two writers
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int) -> None:
        for number in range(self.version(), target):
            with self.transaction():
                if self.version() > number:  # another process on the file took this step while this one waited
                    continue
                for statement in self.migrations[number].split(";"):
                    if statement.strip():
                        self.connection.execute(statement)
                self.connection.execute(f"PRAGMA user_version={number + 1}")

    def changed(self) -> bool:
        version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        changed, self._data_version = version != self._data_version, version
        return changed

    def insert_values(self, sql: str, fixed: Sequence[Any], values: Sequence[str], tail: Sequence[Any]) -> int:
        marks = ", ".join("?" * len(fixed))
        after = "".join(", ?" for _ in tail)
        if self.json:  # one statement over a JSON array: SQLite splits it, far cheaper than 1,000 Python tuples
            return self.connection.execute(f"{sql} SELECT {marks}, value{after} FROM json_each(?) "
                                           "WHERE true ON CONFLICT DO NOTHING",
                                           (*fixed, *tail, json.dumps(list(values)))).rowcount
        return self.executemany(f"{sql} VALUES({marks}, ?{after}) ON CONFLICT DO NOTHING",
                                [(*fixed, value, *tail) for value in values])

    def clock(self, seconds: str = "0") -> str:
        return f"strftime('%Y-%m-%d %H:%M:%S', 'now', ({seconds}) || ' seconds')"

    def reader(self) -> Database:
        if not isinstance(self.path, Path):
            return self  # a database in memory has only this connection
        return _SqliteReader(self.path)

    def close(self) -> None:
        self.connection.close()


class _SqliteReader(SqliteDb):
    """A read-only second connection to the same file."""

    def __init__(self, path: Path) -> None:  # no PRAGMAs: a reader changes nothing
        self.path = path
        self.migrations = ()
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.json = False
        self._data_version = 0


class PostgresDb(Database):
    """A PostgreSQL database shared by a team (psycopg 3, imported only when one is configured)."""

    kind = "postgres"

    def __init__(self, url: str, schema: str, target: int, password: str | None = None,
                 name: str = "smstui") -> None:
        import psycopg

        self.errors = (psycopg.Error,)
        self.url = url
        self.name = name  # every connection's application_name: other hosts see this process is alive by it
        self.schema = schema
        self.target = target
        self._password = password  # never logged: kept only to open this database's other connections
        self.connection = self._connect()
        self._listener: Any = None
        self._lead_connection: Any = None  # holds the advisory locks of what this process leads
        self._leads: set[str] = set()

    def _connect(self) -> Any:
        import psycopg

        extra: dict[str, Any] = {"password": self._password} if self._password is not None else {}
        return psycopg.connect(self.url, autocommit=True, application_name=self.name, **extra)

    def ensure(self) -> None:
        if self.connection.closed or self.connection.broken:
            self.connection = self._connect()

    def _sql(self, sql: str) -> str:
        sql = sql.replace("%", "%%")
        return _PLACEHOLDER.sub(lambda m: f"%({m.group(1)})s" if m.group(1) else "%s", sql)

    def execute(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return self.connection.execute(self._sql(sql), args)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        if not rows:
            return 0
        with self.connection.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)
            return int(cursor.rowcount)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def version(self) -> int:
        # a query of the catalogue, not to_regclass: its answer comes from a cache that waiting on a lock leaves
        # stale, so a host that waited for another's migration saw no tables and built them again
        exists = self.connection.execute("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables"
                                         " WHERE tablename = 'smstui_schema' AND schemaname = current_schema())"
                                         ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.connection.execute("SELECT version FROM smstui_schema").fetchone()
        return int(row[0]) if row else 0

    def migrate(self, target: int) -> None:
        self.connection.execute("SELECT pg_advisory_lock(7410611)")  # one migrator at a time, on every host
        try:
            with self.connection.transaction():  # begun after the wait: it sees what the one before committed
                current = self.version()
                if current >= target:
                    return
                if current != 0:
                    raise RuntimeError(f"no PostgreSQL migration from schema {current} to {target}")
                self.connection.execute(self.schema)
                self.connection.execute("CREATE TABLE smstui_schema(version INTEGER NOT NULL)")
                self.connection.execute("INSERT INTO smstui_schema VALUES (%s)", (target,))
        finally:
            self.connection.execute("SELECT pg_advisory_unlock(7410611)")

    def notify(self) -> None:
        self.connection.execute("NOTIFY smstui")

    def sessions(self) -> frozenset[str] | None:
        rows = self.connection.execute("SELECT application_name FROM pg_stat_activity"
                                       " WHERE datname = current_database()").fetchall()
        return frozenset(name for (name,) in rows)

    def changed(self) -> bool:

        if self._listener is None:
            self._listener = self._connect()
            self._listener.execute("LISTEN smstui")
            return True
        return any(True for _ in self._listener.notifies(timeout=0, stop_after=1000))

    def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
        """COPY into a staging table, then one INSERT … SELECT: a bulk load's speed, a key's idempotence."""
        if not rows:
            return 0
        names = ", ".join(columns)
        stage = f"stage_{table}"
        self.connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS"
                                f" SELECT {names} FROM {table} WITH NO DATA")
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ORDER BY ctid"
                           " ON CONFLICT DO NOTHING")  # ctid: the order they came in (ids of replies follow it)
            return int(cursor.rowcount)

    def insert_values(self, sql: str, fixed: Sequence[Any], values: Sequence[str], tail: Sequence[Any]) -> int:
        marks = ", ".join("%s" for _ in fixed)
        after = "".join(", %s" for _ in tail)
        query = f"{self._sql(sql)} SELECT {marks}, unnest(%s::text[]){after} ON CONFLICT DO NOTHING"
        return int(self.connection.execute(query, (*fixed, list(values), *tail)).rowcount)

    def clock(self, seconds: str = "0") -> str:
        return (f"to_char((now() AT TIME ZONE 'UTC') + ({seconds}) * interval '1 second',"
                " 'YYYY-MM-DD HH24:MI:SS')")

    def renumber(self, tables: Sequence[str]) -> None:
        for table in tables:
            self.connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                    f" COALESCE(MAX(id), 0) + 1, false) FROM {table}")

    def lead(self, name: str) -> bool:
        if name in self._leads:
            return True
        if self._lead_connection is None or self._lead_connection.closed:
            self._lead_connection = self._connect()
            self._leads.clear()
        row = self._lead_connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (name,)).fetchone()
        if row and row[0]:
            self._leads.add(name)
            return True
        return False

    def reader(self) -> Database:
        return PostgresDb(self.url, self.schema, self.target, self._password, self.name)

    def close(self) -> None:
        for extra in (self._listener, self._lead_connection):
            if extra is not None:
                extra.close()
        self.connection.close()
