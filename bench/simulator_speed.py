"""Simulator throughput: sends/s with 32 keep-alive connections vs the same server's bare `hello` (goal ≥ 50%)."""

# The load comes from a raw asyncio HTTP/1.1 client (requests built beforehand, replies read by Content-Length),
# so the server, not the client, is what runs out: one httpx client alone tops out near 280 requests/s.

from __future__ import annotations

import asyncio
import itertools
import time
from urllib.parse import urlsplit

from _simproc import simulator

import smstui.protocol as p

CONNECTIONS = 32
REQUESTS = 6000
WARM_UP = 1000


def raw_request(method: str, path: str, host: str, body: bytes = b"", content_type: str = "") -> bytes:
    """The bytes of one keep-alive HTTP/1.1 request."""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if method == "POST":
        head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


async def read_reply(reader: asyncio.StreamReader) -> None:
    """Read one reply off the connection; anything but a 200 with a Content-Length stops the bench."""
    head = await reader.readuntil(b"\r\n\r\n")
    if head[9:12] != b"200":
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        raise RuntimeError(f"the server answered {status_line}")
    lowered = head.lower()
    start = lowered.find(b"content-length:")
    if start < 0:
        raise RuntimeError("a reply without Content-Length")
    length = int(lowered[start + 15 : lowered.find(b"\r\n", start)])
    await reader.readexactly(length)


async def rate(url: str, requests: list[bytes]) -> float:
    """Requests per second when CONNECTIONS keep-alive connections send `requests` between them."""
    parts = urlsplit(url)
    numbers = itertools.count()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while (n := next(numbers)) < len(requests):
                writer.write(requests[n])
                await read_reply(reader)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return len(requests) / (time.perf_counter() - start)


def send_requests(host: str, count: int, first: int = 0) -> list[bytes]:
    """`count` sends of one message to one new number each, on sms.aspx."""
    creds = p.Credentials("bench", "bench", "1")
    built = []
    for n in range(first, first + count):
        request = p.build_send(creds, [f"139{n:08d}"], "您的订单已发货【星辰科技】")
        built.append(raw_request("POST", request.path, host, request.content(), request.content_type()))
    return built


def main() -> None:
    with simulator() as url:
        host = urlsplit(url).netloc
        hellos = [raw_request("GET", "/_sim/hello", host)] * REQUESTS
        sends = send_requests(host, REQUESTS, WARM_UP)
        asyncio.run(rate(url, hellos[:WARM_UP]))  # warm up both paths
        asyncio.run(rate(url, send_requests(host, WARM_UP)))
        hello = asyncio.run(rate(url, hellos))
        sent = asyncio.run(rate(url, sends))
    print(f"simulator, {CONNECTIONS} keep-alive connections: {sent:,.0f} sends/s vs {hello:,.0f} hello/s "
          f"= {sent / hello:.0%} (goal ≥ 50%)")


if __name__ == "__main__":
    main()
