"""Service speed: a 1,000,000-recipient send vs a bare httpx loop (goal ≤ 1.25×); 1,000,000 reports into the store
vs a bare executemany (goal ≤ 1.5×). Ratios are measured in the same run."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _simproc import simulator

import smstui.protocol as p
from smstui.service import AppConfig, Profile, Secret, SmsJob, SmsService, Store
from smstui.service.store.schema import MIGRATIONS

RECIPIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
CHUNK = 1000
CONCURRENCY = 4
CONTENT = "您的订单已发货【星辰科技】"


def numbers() -> list[str]:
    return [f"1{3 + i // 100_000_000}{i % 100_000_000:09d}"[:11] for i in range(RECIPIENTS)]


async def bare_loop(url: str, mobiles: list[str]) -> float:
    creds = p.Credentials("bench", "bench", "1")
    bodies = [p.build_send(creds, mobiles[i : i + CHUNK], CONTENT) for i in range(0, len(mobiles), CHUNK)]
    prepared = [(r.path, r.content(), {"Content-Type": r.content_type()}) for r in bodies]
    queue = list(reversed(prepared))
    async with httpx.AsyncClient(base_url=url) as http:
        async def worker() -> None:
            while queue:
                path, body, headers = queue.pop()
                (await http.post(path, content=body, headers=headers)).raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return time.perf_counter() - start


async def service_send(url: str, mobiles: list[str], store: Path) -> float:
    profile = Profile(
        name="bench", base_url=url, account="bench", userid="1", chunk_size=CHUNK, concurrency=CONCURRENCY
    )
    config = AppConfig(default_profile="bench", profiles={"bench": profile})
    service = await SmsService.open(config, store_path=store, password=Secret("bench"))
    try:
        start = time.perf_counter()
        outcome = await service.send(await service.preflight(SmsJob(mobiles=tuple(mobiles), content=CONTENT)))
        elapsed = time.perf_counter() - start
        assert outcome.accepted == len(mobiles), outcome
        return elapsed
    finally:
        await service.close()


async def ingest(store_path: Path, reports: list[p.Report]) -> float:
    store = await Store(store_path).open()
    start = time.perf_counter()
    await store.ingest_reports("bench", reports)
    elapsed = time.perf_counter() - start
    await store.close()
    return elapsed


def bare_executemany(path: Path, reports: list[p.Report]) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            db.execute(statement)
    rows = [
        ("bench", r.task_id, r.mobile, r.status, "2026-03-01 10:00:00", r.error_code, r.extno, 0, "2026-03-01 10:00:00")
        for r in reports
    ]
    start = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT OR IGNORE INTO reports VALUES(?,?,?,?,?,?,?,?,?)", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def main() -> None:
    mobiles = numbers()
    reports = [
        p.Report(m, str(i // CHUNK), 10, p.parse_gateway_time("2026-03-01 10:00:00"), "DELIVRD", "")
        for i, m in enumerate(mobiles)
    ]
    bare_sends, our_sends, bare_ingests, our_ingests = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(ROUNDS):  # alternate, keep the best of each: the machine is shared and noisy
            with simulator() as url:
                bare_sends.append(asyncio.run(bare_loop(url, mobiles)))
            with simulator() as url:
                our_sends.append(asyncio.run(service_send(url, mobiles, Path(tmp) / f"send{round_}.db")))
            bare_ingests.append(bare_executemany(Path(tmp) / f"bare{round_}.db", reports))
            our_ingests.append(asyncio.run(ingest(Path(tmp) / f"ingest{round_}.db", reports)))
    bare, ours = min(bare_sends), min(our_sends)
    print(
        f"send {RECIPIENTS:,} recipients in chunks of {CHUNK} (best of {ROUNDS}): service {ours:.1f}s vs bare httpx "
        f"loop {bare:.1f}s = {ours / bare:.2f}× (goal ≤ 1.25×)"
    )
    base, store = min(bare_ingests), min(our_ingests)
    print(
        f"ingest {len(reports):,} reports (best of {ROUNDS}): store {store:.2f}s vs bare executemany {base:.2f}s "
        f"= {store / base:.2f}× (goal ≤ 1.5×)"
    )


if __name__ == "__main__":
    main()
