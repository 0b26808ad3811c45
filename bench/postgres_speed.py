"""PostgreSQL store speed, on a throwaway server started here: ingesting 1,000,000 reports through the store vs a
bare COPY of the same rows (goal ≤ 1.5×); sending 1,000,000 recipients to the simulator with the PostgreSQL journal
vs the SQLite journal (goal ≤ 1.3×). Ratios are measured in the same run, best of ROUNDS."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _simproc import simulator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.postgres import Postgres

import smstui.protocol as p
from smstui.service import AppConfig, Profile, Secret, SmsJob, SmsService, Store

REPORTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
RECIPIENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
ACCOUNT = "bench@127.0.0.1"
WHEN = "2026-03-01 10:00:00"


def reports() -> list[p.Report]:
    moment = datetime(2026, 3, 1, 10, 0, 0)
    return [p.Report(f"139{i:08d}", str(i // 1000), 10, moment, "DELIVRD") for i in range(REPORTS)]


async def ingest(url: str, items: list[p.Report]) -> float:
    store = await Store(url).open()
    start = time.perf_counter()
    done = await store.ingest_reports(ACCOUNT, items)
    elapsed = time.perf_counter() - start
    assert done.new == len(items)
    await store.close()
    return elapsed


async def schema(url: str) -> str:
    """A database with the store's tables (for the bare COPY)."""
    await (await Store(url).open()).close()
    return url


def bare_copy(url: str, items: list[p.Report]) -> float:
    import psycopg

    rows = [(ACCOUNT, r.task_id, r.mobile, r.status, WHEN, r.error_code, r.extno, 0, WHEN) for r in items]
    with psycopg.connect(url) as db:
        start = time.perf_counter()
        with db.cursor() as cursor, cursor.copy(
                "COPY reports (account, task_id, mobile, status, receive_time, error_code, extno, status_derived,"
                " received_at) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        db.commit()
        return time.perf_counter() - start


async def send(url: str, store: str) -> float:
    profile = Profile(name="bench", base_url=url, account="bench", userid="1", chunk_size=1000, concurrency=4)
    config = AppConfig(default_profile="bench", profiles={"bench": profile})
    service = await SmsService.open(config, store_path=store, password=Secret("bench"))
    mobiles = tuple(f"1{3 + i // 100_000_000}{i % 100_000_000:09d}"[:11] for i in range(RECIPIENTS))
    try:
        start = time.perf_counter()
        outcome = await service.send(await service.preflight(SmsJob(mobiles=mobiles, content="您好【星辰科技】")))
        elapsed = time.perf_counter() - start
        assert outcome.accepted == RECIPIENTS, outcome
        return elapsed
    finally:
        await service.close()


def main() -> None:
    server = Postgres()
    server.start()
    items = reports()
    ours, bare, pg_sends, sqlite_sends = [], [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for round_ in range(ROUNDS):
                bare.append(bare_copy(asyncio.run(schema(server.database())), items))
                ours.append(asyncio.run(ingest(server.database(), items)))
                with simulator() as url:
                    sqlite_sends.append(asyncio.run(send(url, str(Path(tmp) / f"send{round_}.db"))))
                with simulator() as url:
                    pg_sends.append(asyncio.run(send(url, server.database())))
    finally:
        server.stop()
    print(f"ingest {REPORTS:,} reports into PostgreSQL (best of {ROUNDS}): store {min(ours):.2f}s vs bare COPY "
          f"{min(bare):.2f}s = {min(ours) / min(bare):.2f}× (goal ≤ 1.5×)")
    print(f"send {RECIPIENTS:,} recipients (best of {ROUNDS}): PostgreSQL journal {min(pg_sends):.1f}s vs SQLite "
          f"journal {min(sqlite_sends):.1f}s = {min(pg_sends) / min(sqlite_sends):.2f}× (goal ≤ 1.3×)")


if __name__ == "__main__":
    main()
