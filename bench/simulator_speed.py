"""Simulator throughput: send requests/s with 32 concurrent clients vs the same server's bare `hello` (goal ≥ 50%)."""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx
from _simproc import simulator

import smstui.protocol as p

CLIENTS = 32
REQUESTS = 3000


async def rate(url: str, make_request) -> float:
    counter = itertools.count()
    async with httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_connections=CLIENTS)) as http:
        async def client() -> None:
            while (n := next(counter)) < REQUESTS:
                method, path, body, headers = make_request(n)
                response = await http.request(method, path, content=body, headers=headers)
                response.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        return REQUESTS / (time.perf_counter() - start)


def main() -> None:
    creds = p.Credentials("bench", "bench", "1")

    def send(n: int):
        request = p.build_send(creds, [f"139{n:08d}"], "您的订单已发货【星辰科技】")
        return "POST", request.path, request.content(), {"Content-Type": request.content_type()}

    with simulator() as url:
        asyncio.run(rate(url, lambda n: ("GET", "/_sim/hello", b"", {})))  # warm up
        hello = asyncio.run(rate(url, lambda n: ("GET", "/_sim/hello", b"", {})))
        sends = asyncio.run(rate(url, send))
    print(f"simulator, {CLIENTS} clients: {sends:,.0f} sends/s vs {hello:,.0f} hello/s = {sends / hello:.0%} (goal ≥ 50%)")


if __name__ == "__main__":
    main()
