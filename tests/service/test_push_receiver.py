"""The push receiver is not a disk to fill: only the gateway's push XML is stored, refusals are counted and logged (not
kept), what is kept of pushes the store cannot take is capped, and an open receiver beyond loopback is warned about."""

import logging
import sqlite3
from contextlib import asynccontextmanager

import httpx
import pytest

from smstui.service import Store
from smstui.service.events import EventBus
from smstui.service.ingest import Ingestor
from smstui.service.push_receiver import PushReceiver, build_push_app
from smstui.service.spool import Spool

REPORT = "<statusbox><mobile>{mobile}</mobile><taskid>{task}</taskid><status>10</status></statusbox>"


def push(*boxes: str) -> bytes:
    return ("<?xml version='1.0' encoding='utf-8'?><returnsms>" + "".join(boxes) + "</returnsms>").encode()


class Lines(logging.Handler):
    """What smstui's push and ingest loggers say (they do not propagate once smstui set its logging up)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@asynccontextmanager
async def receiving(tmp_path, listen="127.0.0.1:0", **settings):
    """A receiver on a store of its own; yields (store, ingestor, app, receiver, url, log lines)."""
    store = await Store(tmp_path / "push.db").open()
    ingestor = Ingestor("push", store, EventBus(), ["TD"])
    app = build_push_app(ingestor, **settings)
    receiver = PushReceiver(app, listen)
    lines = Lines()
    loggers = [logging.getLogger(name) for name in ("smstui.service.push", "smstui.service.ingest")]
    for logger in loggers:
        logger.addHandler(lines)
    try:
        url = await receiver.start()
        yield store, ingestor, app, receiver, url, lines.lines
    finally:
        for logger in loggers:
            logger.removeHandler(lines)
        await receiver.stop()
        await store.close()


async def test_bodies_that_are_not_the_gateways_push_are_refused_counted_and_never_kept(tmp_path):
    async with receiving(tmp_path) as (store, _, app, _, url, lines):
        filler = b"<returnsms>" + b"A" * 1_000_000  # the review's: "returnsms" in it, but no XML
        async with httpx.AsyncClient() as http:
            for i in range(20):
                answer = await http.post(url, content=filler + str(i).encode())
                assert answer.status_code == 400 and answer.text.startswith("refused: not XML")
            cut = b"<returnsms><statusbox><mobile>13900139000</mobile"
            laughs = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                      b"<returnsms>&b;</returnsms>")
            xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><returnsms>&x;</returnsms>'
            page = b"<html><body>hello</body></html>"
            for body in (cut, laughs, xxe, page):
                answer = await http.post(url, content=body)
                assert answer.status_code == 400, body
            assert "DTD" in (await http.post(url, content=xxe)).text
        assert await store.raw_replies("push", include_replayed=True) == []
        assert await store.reports("push") == [] and Spool(store.spool_dir()).waiting() == []
        assert (tmp_path / "push.db").stat().st_size < 1_000_000  # 20 MB were posted
        assert (app.counts.refused, app.counts.stored, app.counts.failed) == (25, 0, 0)
    assert "unexpected reply" not in "\n".join(lines)
    refusals = [line for line in lines if "refused" in line]
    # ten told one by one (what was wrong, the first bytes), then quiet: a flood cannot fill the log either
    assert len(refusals) == 10 and all("none kept" in line for line in refusals)
    assert "not XML" in refusals[0] and "b'<returnsms>AAAA" in refusals[0] and "1,000,012 bytes" in refusals[0]


async def test_a_box_without_mobile_or_taskid_is_refused_not_stored_with_empty_keys(tmp_path):
    async with receiving(tmp_path) as (store, _, app, _, url, lines):
        async with httpx.AsyncClient() as http:
            no_task = await http.post(url, content=push("<statusbox><mobile>13900139000</mobile><status>10</status>"
                                                        "</statusbox>"))
            assert no_task.status_code == 400 and "statusbox" in no_task.text and "has no taskid" in no_task.text
            no_mobile = await http.post(url, content=push("<callbox><content>TD</content></callbox>"))
            assert no_mobile.status_code == 400 and "has no mobile" in no_mobile.text
            error = await http.post(url, content=push("<errorstatus><error>1</error></errorstatus>"))
            assert error.status_code == 400 and "errorstatus" in error.text
            mixed = push(REPORT.format(mobile="13900139000", task="7"), REPORT.format(mobile="", task="7"))
            assert (await http.post(url, content=mixed)).text == "1"  # the good box is stored, the other left out
            empty = await http.post(url, content=push())
            assert (empty.status_code, empty.text) == (200, "1")  # nothing to store, nothing to try again
        assert [(r.mobile, r.task_id) for r in await store.reports("push")] == [("13900139000", "7")]
        assert await store.uplinks("push") == [] and await store.raw_replies("push") == []
        assert (app.counts.refused, app.counts.stored) == (3, 2)
    assert any("box 2 (statusbox) has no mobile" in line for line in lines)


async def test_what_is_kept_of_pushes_the_store_cannot_take_is_capped(tmp_path):
    body = push(REPORT.format(mobile="13900139000", task="9"))
    async with receiving(tmp_path) as (store, ingestor, app, _, url, lines):
        await store.keep_raw("push", "push", body, "kept by an earlier run")
        ingestor.push_kept_rows = 1  # one kept already: no room for another
        blocker = sqlite3.connect(tmp_path / "push.db", isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")  # the store cannot take the push (nor keep it, nor spool… no room)
            async with httpx.AsyncClient(timeout=30) as http:
                assert (await http.post(url, content=body)).text == "error"  # the gateway tries again later
            blocker.execute("ROLLBACK")
        finally:
            blocker.close()
        assert len(await store.raw_replies("push")) == 1 and Spool(store.spool_dir()).waiting() == []
        assert app.counts.failed == 1
        assert any("not kept either: 1 pushes" in line for line in lines)
        ingestor.push_kept_rows, ingestor.push_kept_bytes = 200, len(body) * 2  # rows free, bytes not
        blocker = sqlite3.connect(tmp_path / "push.db", isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            async with httpx.AsyncClient(timeout=30) as http:
                assert (await http.post(url, content=body + b" ")).text == "error"
            blocker.execute("ROLLBACK")
        finally:
            blocker.close()
        assert len(await store.raw_replies("push")) == 1 and Spool(store.spool_dir()).waiting() == []
        async with httpx.AsyncClient() as http:  # the store is free again: the retry is stored
            assert (await http.post(url, content=body)).text == "1"
        assert len(await store.reports("push")) == 1


@pytest.mark.parametrize(
    ("listen", "settings", "exposed"),
    [
        ("0.0.0.0:0", {}, True),
        ("0.0.0.0:0", {"token": "s3cret"}, False),
        ("0.0.0.0:0", {"allow": ["10.0.0.0/8"]}, False),
        ("127.0.0.1:0", {}, False),
        ("localhost:0", {}, False),
    ],
)
async def test_listening_beyond_loopback_without_a_token_or_allow_list_is_warned_about(tmp_path, listen, settings,
                                                                                        exposed):
    async with receiving(tmp_path, listen, **settings) as (_, _, _, receiver, _, lines):
        assert receiver.exposed is exposed
        warned = [line for line in lines if "with neither a token nor an allow-list" in line]
        assert len(warned) == (1 if exposed else 0)
        if exposed:
            assert "0.0.0.0" in warned[0] and "[push] token or allow" in warned[0]
