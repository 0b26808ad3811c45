"""Drain speed: 1,000,000 reports pulled with every query journaled and every body on disk before it is parsed, vs
the same drain without the journal and the spool (the same client, parser and store); goal ≤ 1.3×, same run."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _simproc import CONFIG, simulator

import smstui.protocol as p
from smstui.service import AppConfig, Profile, Secret, SmsService

REPORTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
CHUNK = 1000
SETTINGS = CONFIG.replace("report_delay = [3600.0, 3600.0]", "report_delay = [0.0, 0.0]\ndelivered_ratio = 1.0")
CONTENT = "您的订单已发货【星辰科技】"


async def fill(url: str) -> None:
    """Send REPORTS numbers, then wait until every report is queued at the gateway."""
    creds = p.Credentials("bench", "bench", "1")
    mobiles = [f"139{i:08d}" for i in range(REPORTS)]
    requests = [p.build_send(creds, mobiles[i : i + CHUNK], CONTENT) for i in range(0, REPORTS, CHUNK)]
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        async def worker() -> None:
            while requests:
                request = requests.pop()
                reply = await http.post(request.path, content=request.content(),
                                        headers={"Content-Type": request.content_type()})
                reply.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(4)))
        while (await http.get("/_sim/state")).json()["accounts"]["bench"]["pending_reports"] < REPORTS:
            await asyncio.sleep(0.2)


async def open_service(url: str, store: Path) -> SmsService:
    profile = Profile(name="bench", base_url=url, account="bench", userid="1")
    config = AppConfig(default_profile="bench", profiles={"bench": profile})
    return await SmsService.open(config, store_path=store, password=Secret("bench"))


async def journaled(service: SmsService) -> int:
    """The drain smstui runs: each query journaled, each body spooled to disk, parsed, stored, forgotten."""
    return (await service.drain_reports()).items


async def bare(service: SmsService) -> int:
    """The same queries, parser and store, without the query journal and the spool."""
    total = 0
    while True:
        reply = p.parse_reports(await service.client.query("reports", "xml", CHUNK, None))
        if not reply.items:
            return total
        await service.ingestor.reports(reply.items, "poll")
        total += len(reply.items)


async def timed(url: str, store: Path, drain) -> float:
    await fill(url)
    service = await open_service(url, store)
    try:
        start = time.perf_counter()
        count = await drain(service)
        elapsed = time.perf_counter() - start
    finally:
        await service.close()
    assert count == REPORTS, count
    return elapsed


def main() -> None:
    ours, baseline = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(ROUNDS):  # alternate which goes first: the machine is shared and noisy
            order = [(journaled, ours), (bare, baseline)]
            for drain, times in order if round_ % 2 == 0 else reversed(order):
                with simulator(SETTINGS) as url:
                    times.append(asyncio.run(timed(url, Path(tmp) / f"{drain.__name__}{round_}.db", drain)))
    best, base = min(ours), min(baseline)
    print(f"drain {REPORTS:,} reports (best of {ROUNDS}): journaled + spooled {best:.2f}s vs without {base:.2f}s "
          f"= {best / base:.2f}× (goal ≤ 1.3×; {REPORTS / best:,.0f} reports/s)")


if __name__ == "__main__":
    main()
