"""`smstui store migrate` and `smstui store copy`: a SQLite store moves into PostgreSQL (and back) without losing a
row; copying again copies nothing twice; work goes on in the copy."""

import asyncio
import json
import os
import sqlite3
import sys

import pytest
from support.cli import SIGNED, smstui

from smstui.service.store.store import TABLES


def counts_sqlite(path):
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def counts_postgres(url):
    import psycopg

    with psycopg.connect(url) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


async def store(*args):
    """`smstui store ARGS --json` as a process: (status, its JSON result)."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "smstui", "store", *args, "--json",
                                                   env=dict(os.environ), stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    [result] = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    return process.returncode, result


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=0.7)
async def test_a_store_copied_into_postgresql_and_back_keeps_every_row(gateway, tmp_path, postgres_server):
    db = tmp_path / "cli.db"
    gateway.inject_uplink("demo", "13700000001", "TD")
    status, _, _ = await smstui(gateway, db, "send", "--to", ",".join(f"139{i:08d}" for i in range(25)),
                                "--content", SIGNED)
    assert status in (0, 1)
    for command in ("reports", "inbox"):
        assert (await smstui(gateway, db, command))[0] == 0
    before = counts_sqlite(db)
    assert before["reports"] == 25 and before["optouts"] == 1 and before["chunks"] == 3
    team = postgres_server.database()
    status, copied = await store("copy", str(db), team)
    assert status == 0 and copied["rows"] == before and counts_postgres(team) == before
    status, again = await store("copy", str(db), team)
    assert status == 0 and set(again["rows"].values()) == {0}  # nothing twice
    status, migrated = await store("migrate", "--store", team)
    assert status == 0 and migrated["schema"] >= 7 and "postgresql://" in migrated["store"]
    status, [shown], _ = await smstui(gateway, db, "reports", location=team)  # the same history there
    assert len(shown["reports"]) == 25
    status, [sent], _ = await smstui(gateway, db, "send", "--to", "13600000000", "--content", SIGNED,
                                     location=team)  # new rows get new ids after the copied ones
    assert status == 0 and sent["success_count"] == 1
    back = tmp_path / "back.db"
    status, _ = await store("copy", team, str(back))
    assert status == 0 and counts_sqlite(back) == counts_postgres(team)
    assert counts_sqlite(back)["chunks"] == before["chunks"] + 1


async def test_copying_a_store_onto_itself_or_from_nowhere_is_refused(tmp_path):
    db = tmp_path / "cli.db"
    status, refused = await store("copy", str(db), str(db))
    assert status == 2 and "same store" in refused["message"]
    status, refused = await store("copy", "postgresql://nobody@127.0.0.1:1/none", str(tmp_path / "x.db"))
    assert status == 4 and refused["error"] == "StoreError" and "127.0.0.1:1" in refused["message"]
