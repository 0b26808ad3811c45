"""Chapter 6 over real HTTP: the simulator POSTs reports and uplinks to a real receiver on 127.0.0.1,
retries on `error` or a network failure (3 attempts in all), and keeps what it could not push for the
pull endpoints."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass

import httpx
import pytest

import smstui.protocol as p
from smstui.simulator import AccountConfig, SimConfig, Simulator

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEMO = p.Credentials("demo", "demo123", "1001")
SIG = "【测试公司】"
NUMBERS = ["13912340001", "13912340002", "13912340003"]
PUSH = {"push_retry_delay": 0.05, "delivered_ratio": 1.0, "report_delay": [1, 1], "reply_rate": 0.0}


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """A tiny HTTP/1.1 server: records every request and answers the next of `answers` (then `default`)."""

    def __init__(self, *answers: str, default: str = "1") -> None:
        self.answers = list(answers)
        self.default = default
        self.hits: list[Hit] = []
        self._writers: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> Receiver:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/sms/push?token=s3cret"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        for writer in self._writers:
            writer.close()
        await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                request_line, *lines = head.split("\r\n")
                method, path, _ = request_line.split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.hits.append(Hit(method, path, headers, body, time.monotonic()))
                answer = (self.answers.pop(0) if self.answers else self.default).encode("utf-8")
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(answer), answer))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Hit]:
        deadline = time.monotonic() + timeout
        while len(self.hits) < count:
            assert time.monotonic() < deadline, f"only {len(self.hits)} of {count} pushes arrived"
            await asyncio.sleep(0.01)
        return self.hits


def closed_port_url() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/push"


async def wait_until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def logged(sim, count: int = 1) -> None:
    """Wait until the simulator logged `count` pushes: it logs one once it has read the receiver's answer."""

    async def enough() -> bool:
        return len(sim.world.push_log) >= count

    await wait_until(enough)


async def send_and_report(sim, api, numbers=NUMBERS) -> p.SendResult:
    result = await api.send(DEMO, ",".join(numbers), "您好" + SIG)
    assert result.ok, result
    sim.advance(1)  # the reports fall due and go to the push outbox
    return result


@pytest.mark.sim(**PUSH)
async def test_error_twice_then_1_gives_exactly_three_posts_of_the_same_body(sim, api):
    async with Receiver("error", "error", "1") as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        result = await send_and_report(sim, api)
        hits = await receiver.wait_for(3)
        await asyncio.sleep(0.3)  # time for a 4th attempt, which must not come
        assert len(receiver.hits) == 3
    assert all(h.method == "POST" for h in hits)
    assert all(h.path == "/sms/push?token=s3cret" for h in hits)
    assert all(h.headers["content-type"].startswith("text/xml") for h in hits)
    assert hits[0].body == hits[1].body == hits[2].body
    assert hits[1].at - hits[0].at >= 0.05 and hits[2].at - hits[1].at >= 0.05  # push_retry_delay between
    pushed = p.parse_push(hits[0].body)
    assert pushed.uplinks == []
    assert sorted(r.mobile for r in pushed.reports) == NUMBERS
    assert all(r.task_id == result.task_id and r.status == 10 and r.error_code == "DELIVRD" for r in pushed.reports)
    log = [e for e in sim.world.push_log if e["kind"] == "reports"]
    assert [(e["attempt"], e["answer"], e["outcome"]) for e in log] == [
        (1, "error", "retry"), (2, "error", "retry"), (3, "1", "done")]
    assert all(e["url"] == receiver.url and e["account"] == "demo" for e in log)
    assert await api.reports(DEMO) == []  # delivered by push: nothing left for the pull endpoint
    state = await api.state()
    assert state["accounts"]["demo"]["outbox"] == {"reports": 0, "uplinks": 0}
    assert len(state["pushes"]) == 3


@pytest.mark.sim(**PUSH)
@pytest.mark.parametrize("answer", ["ok", "", "success", "0"])
async def test_any_other_answer_counts_as_success(sim, api, answer):
    async with Receiver(answer) as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        await send_and_report(sim, api)
        await receiver.wait_for(1)
        await asyncio.sleep(0.2)
        assert len(receiver.hits) == 1
    assert [e["outcome"] for e in sim.world.push_log] == ["done"]
    assert await api.reports(DEMO) == []


@pytest.mark.sim(**PUSH)
async def test_error_three_times_keeps_the_reports_for_the_pull_endpoint(sim, api):
    async with Receiver(default="error") as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        result = await send_and_report(sim, api)
        await receiver.wait_for(3)

        async def pulled() -> bool:
            return (await api.state())["accounts"]["demo"]["pending_reports"] == len(NUMBERS)

        await wait_until(pulled)
        assert len(receiver.hits) == 3
    assert [e["outcome"] for e in sim.world.push_log] == ["retry", "retry", "gave up"]
    reports = await api.drain_reports(DEMO)
    assert sorted(r.mobile for r in reports) == NUMBERS
    assert {r.task_id for r in reports} == {result.task_id}


@pytest.mark.sim(**PUSH)
async def test_receiver_down_three_attempts_then_kept_for_pull(sim, api):
    url = closed_port_url()
    sim.patch_account("demo", push_url=url)
    result = await send_and_report(sim, api)
    got: list[p.Report] = []

    async def pulled() -> bool:
        got.extend(await api.reports(DEMO))
        return len(got) >= len(NUMBERS)

    await wait_until(pulled)
    assert sorted(r.mobile for r in got) == NUMBERS
    assert {r.task_id for r in got} == {result.task_id}
    log = sim.world.push_log
    assert [(e["attempt"], e["outcome"]) for e in log] == [(1, "retry"), (2, "retry"), (3, "gave up")]
    assert all(e["url"] == url and "error" in e and "status" not in e for e in log)
    assert await api.reports(DEMO) == []  # requeued once, returned once


@pytest.mark.sim(**PUSH)
async def test_uplinks_are_pushed_as_callbox(sim, api):
    async with Receiver("1") as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        sim.inject_uplink("demo", NUMBERS[0], "好的，收到", "12")
        hits = await receiver.wait_for(1)
    pushed = p.parse_push(hits[0].body)
    assert pushed.reports == []
    assert [(u.mobile, u.content, u.extno) for u in pushed.uplinks] == [(NUMBERS[0], "好的，收到", "12")]
    await logged(sim)
    assert sim.world.push_log[-1]["kind"] == "uplinks"
    assert await api.uplinks(DEMO) == []


@pytest.mark.sim(**PUSH)
async def test_uplinks_kept_for_pull_when_receiver_down(sim, api):
    sim.patch_account("demo", push_url=closed_port_url())
    response = await api.http.post("/_sim/uplink", json={"account": "demo", "mobile": NUMBERS[1], "content": "TD"})
    assert response.status_code == 200
    got: list[p.Uplink] = []

    async def pulled() -> bool:
        got.extend(await api.uplinks(DEMO))
        return bool(got)

    await wait_until(pulled)
    assert [(u.mobile, u.content) for u in got] == [(NUMBERS[1], "TD")]
    assert len(sim.world.push_log) == 3


@pytest.mark.sim(**PUSH)
async def test_push_delay_fault_slows_pushes(sim, api):
    sim.set_faults(push_delay=0.3)
    async with Receiver("1") as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        await api.send(DEMO, NUMBERS[0], "您好" + SIG)
        started = time.monotonic()
        sim.advance(1)
        hits = await receiver.wait_for(1)
    assert hits[0].at - started >= 0.3


async def test_push_url_from_the_account_config():
    async with Receiver("1") as receiver:
        config = SimConfig(clock="frozen", start_time="2026-03-01 10:00:00", seed=1, push_retry_delay=0.05,
                           delivered_ratio=1.0, report_delay=[2, 2], reply_rate=0.0,
                           accounts=[AccountConfig("pushy", "push123", "2001", push_url=receiver.url)])
        async with Simulator(config) as sim, httpx.AsyncClient(base_url=sim.url) as http:
            request = p.build_send(p.Credentials("pushy", "push123", "2001"), NUMBERS[:2], "您好" + SIG)
            response = await http.post(request.path, content=request.content(),
                                       headers={"Content-Type": request.content_type()})
            assert p.parse_send_result(response.content).ok
            sim.advance(2)
            hits = await receiver.wait_for(1)
            state = (await http.get("/_sim/state")).json()
        assert state["accounts"]["pushy"]["push_url"] == receiver.url
    assert sorted(r.mobile for r in p.parse_push(hits[0].body).reports) == NUMBERS[:2]


@pytest.mark.sim(**PUSH)
async def test_pushes_still_work_after_a_reset(sim, api):
    await api.send(DEMO, NUMBERS[0], "您好" + SIG)
    assert (await api.http.post("/_sim/reset")).status_code == 200
    async with Receiver("1") as receiver:
        sim.patch_account("demo", push_url=receiver.url)
        await send_and_report(sim, api, NUMBERS[1:])
        hits = await receiver.wait_for(1)
    assert sorted(r.mobile for r in p.parse_push(hits[0].body).reports) == NUMBERS[1:]  # nothing of the old world
    await logged(sim)
    assert [e["outcome"] for e in sim.world.push_log] == ["done"]


@pytest.mark.sim(**PUSH, push_batch=1)
async def test_clearing_the_push_url_sends_the_outbox_back_to_the_pull_queues(sim, api):
    sim.set_faults(push_delay=0.3)  # the first push waits, so the other reports are still in the outbox
    async with Receiver("1") as receiver:
        assert (await api.http.post("/_sim/accounts/demo", json={"push_url": receiver.url})).status_code == 200
        result = await send_and_report(sim, api)

        async def pushing() -> bool:
            outbox = (await api.state())["accounts"]["demo"]["outbox"]
            return bool(sim.world.push_log) or outbox["reports"] < len(NUMBERS)

        await wait_until(pushing)
        assert (await api.http.post("/_sim/accounts/demo", json={"push_url": ""})).json()["push_url"] == ""
        hits = await receiver.wait_for(1)  # the one already on its way still arrives
        pulled: list[p.Report] = []

        async def all_pulled() -> bool:
            pulled.extend(await api.reports(DEMO))
            return len(pulled) >= len(NUMBERS) - 1

        await wait_until(all_pulled)
        await asyncio.sleep(0.5)
        assert len(receiver.hits) == 1  # nothing more went to the old URL
    pushed = [r.mobile for r in p.parse_push(hits[0].body).reports]
    assert sorted(pushed + [r.mobile for r in pulled]) == NUMBERS  # every report once: pushed or pulled
    assert {r.task_id for r in pulled} == {result.task_id}
    state = await api.state()
    assert state["accounts"]["demo"]["outbox"] == {"reports": 0, "uplinks": 0}
    assert state["accounts"]["demo"]["pending_reports"] == 0
