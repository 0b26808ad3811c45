"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, pg_ctl on a free loopback port.

As root (CI, containers) the server runs as the `postgres` user, which initdb requires. Without the binaries the
PostgreSQL tests are skipped and say so; with SMSTUI_REQUIRE_POSTGRES=1 (CI) they fail instead of going green.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

REQUIRED = os.environ.get("SMSTUI_REQUIRE_POSTGRES") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """One server for the whole run; a database per test."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="smstui-pg-"))
        self.port = _free_port()
        self.user = "smstui"

    @staticmethod
    def available() -> str:
        """Why the server cannot start here ('' when it can)."""
        for tool in ("initdb", "pg_ctl"):
            if shutil.which(tool) is None:
                return f"{tool} is not on PATH (install postgresql)"
        return ""

    def _as_server(self, command: str) -> None:
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.directory, "postgres")
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True)
        else:
            subprocess.run(["/bin/sh", "-c", command], check=True, capture_output=True)

    def start(self) -> None:
        """initdb and start on loopback (trust authentication: it is a test's own server)."""
        data, log = self.directory / "data", self.directory / "log"
        if not data.exists():
            self._as_server(f"initdb -D {data} -A trust -U {self.user} -E UTF8 >/dev/null")
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_server(f"pg_ctl -D {data} -o '{options}' -l {log} -w start >/dev/null")
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {log}")

    def url(self, database: str = "postgres") -> str:
        """The URL of one of its databases."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def pause(self) -> None:
        """Stop the server, keeping its files (start() brings it back, databases and all)."""
        self._as_server(f"pg_ctl -D {self.directory / 'data'} -m immediate -w stop >/dev/null")

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            self.pause()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
