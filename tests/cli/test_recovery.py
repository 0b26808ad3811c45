"""Recovery as a user meets it: `kill -9` mid-send and mid-drain, then resume, reconcile and doctor as processes."""

import asyncio
import json
import random
import signal
import sqlite3
from datetime import datetime

import pytest
from support.cli import SIGNED, accepted_per_mobile, smstui

from smstui import protocol as p

UNSHARED = "shared_account = false\n"


def numbers(count, start=0):
    return [f"139{i:08d}" for i in range(start, start + count)]


def config(sim, store, extra="", chunk_size=1000):
    """Profile `t` beside the store, with settings of the test's own."""
    (store.parent / "config.toml").write_text(f"""
[profiles.t]
base_url = "{sim.url}"
account = "demo"
userid = "1001"
chunk_size = {chunk_size}
concurrency = 1
reconcile_wait = 0
{extra}""")


async def until(condition, seconds=20.0):
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never came true")


async def killed(process):
    process.send_signal(signal.SIGKILL)
    await process.wait()


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_a_crash_that_left_only_requests_in_doubt_is_said_by_resume_doctor_and_reconcile(gateway, tmp_path):
    db = tmp_path / "cli.db"
    config(gateway, db, UNSHARED + "read_timeout = 5\n")
    gateway.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=60)
    process = await smstui(gateway, db, "send", "--to", ",".join(numbers(10)), "--content", SIGNED, wait=False)
    await until(lambda: gateway.world.tasks)  # processed (after the balance asked first timed out); no reply
    await killed(process)
    gateway.clear_faults()
    status, [listed], _ = await smstui(gateway, db, "resume")  # D5: not "nothing to resume", exit 0
    send_id = listed["send_id"]
    assert status == 3 and listed == {"ok": False, "send_id": send_id, "in_doubt": 1}
    status, [doctor], _ = await smstui(gateway, db, "doctor")
    assert status == 3 and doctor["in_doubt"] == [send_id] and doctor["gaps"] == []
    status, [reconciled], _ = await smstui(gateway, db, "reconcile", send_id, "--resend")
    assert status == 0 and reconciled["confirmed"] == 10 and reconciled["unconfirmed"] == []
    status, [again], _ = await smstui(gateway, db, "reconcile", send_id)  # a settled send says so
    assert status == 0 and again == {"ok": True, "send_id": send_id, "settled": True, "success_count": 10}
    status, human, _ = await smstui(gateway, db, "reconcile", send_id, json_output=False)
    assert f"send {send_id}: settled, nothing in doubt (10 of 10 accepted)" in human
    status, [doctor], _ = await smstui(gateway, db, "doctor")
    assert status == 0 and doctor["ok"] and doctor["in_doubt"] == []
    assert len(gateway.world.tasks) == 1


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_kill_9_of_reports_follow_while_a_body_is_out_leaves_a_gap_and_nothing_is_sent_again(gateway, tmp_path):
    """D1: the gateway handed out 1,000 reports and the drain was killed before they were stored."""
    db = tmp_path / "cli.db"
    config(gateway, db, UNSHARED)
    gateway.set_faults(drop_ratio=1.0)
    status, [sent], _ = await smstui(gateway, db, "send", "--to", ",".join(numbers(5000)), "--content", SIGNED)
    send_id = sent["send_id"]
    assert status == 3 and sent["unknown_recipients"] == 5000 and len(gateway.world.tasks) == 5
    await until(lambda: gateway.world.pending_reports("demo") == 5000)
    gateway.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=60)
    process = await smstui(gateway, db, "reports", "--follow", wait=False)
    await until(lambda: gateway.world.pending_reports("demo") == 4000)
    await asyncio.sleep(0.2)
    await killed(process)
    gateway.clear_faults()
    status, [reconciled], _ = await smstui(gateway, db, "reconcile", send_id, "--resend")
    assert status == 3 and reconciled["confirmed"] == 4000 and reconciled["unconfirmed"] == []
    assert len(reconciled["ambiguous"]) == 1000 and set(reconciled["why"].values()) == {"gap"}
    assert "resent" not in reconciled and len(reconciled["gaps"]) == 1
    status, human, _ = await smstui(gateway, db, "reconcile", send_id, json_output=False)
    assert f"send {send_id}: 0 confirmed by reports, 1,000 ambiguous" in human and "smstui doctor" in human
    assert "1,000 numbers ambiguous: a report query lost its body" in human
    status, [doctor], _ = await smstui(gateway, db, "doctor")
    [gap] = doctor["gaps"]
    assert status == 3 and gap["kind"] == "reports" and gap["cause"] == "crashed"
    counts = accepted_per_mobile(gateway)
    assert len(gateway.world.tasks) == 5 and len(counts) == 5000 and set(counts.values()) == {1}


def stored_indices(db, table):
    """Which of the numbered items (139 + index) the store holds."""
    with sqlite3.connect(db) as connection:
        return {int(mobile[3:]) for (mobile,) in connection.execute(f"SELECT mobile FROM {table}")}


def gaps(db, kind):
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*), COALESCE(SUM(items), 0) FROM queries WHERE kind=? AND state='gap'",
                                  (kind,)).fetchone()


@pytest.mark.parametrize("kind", ["reports", "uplinks"])
@pytest.mark.gateway(clock="real")
async def test_kill_9_at_random_moments_of_a_long_drain_loses_only_bodies_in_transfer(gateway, tmp_path, kind):
    """D3: 200,000 items; the drain is killed again and again at random moments. Every body that reached the client
    is stored after the next start; only a body in transfer at the kill can be lost (at most one per kill)."""
    db = tmp_path / "cli.db"
    config(gateway, db)
    total = 200_000
    when = datetime(2026, 3, 1, 10, 0, 0)
    if kind == "reports":
        for i, mobile in enumerate(numbers(total)):
            gateway.world.reports["demo"].append(p.Report(mobile, str(1 + i // 1000), 10, when, "DELIVRD"))
        left, command, table = (lambda: gateway.world.pending_reports("demo")), "reports", "reports"
    else:
        gateway.world.uplinks["demo"].extend(
            p.Uplink(mobile, "TD" if i % 50 == 0 else f"好的 {i}", when) for i, mobile in enumerate(numbers(total)))
        left, command, table = (lambda: len(gateway.world.uplinks["demo"])), "inbox", "uplinks"
    rng = random.Random(10)
    kills = mid_drain = 0
    while left() and kills < 40:
        process = await smstui(gateway, db, command, "--follow", "--limit", "1", wait=False)
        before = left()
        await asyncio.sleep(rng.uniform(0.4, 1.4))
        if process.returncode is None:
            kills += 1
            mid_drain += left() not in (before, 0)
            await killed(process)
    assert mid_drain >= 5, "the kills landed inside drains"
    status, _, _ = await smstui(gateway, db, command, "--limit", "1")  # the next start stores what a crash left
    assert status == 0 and left() == 0
    count, salvaged = gaps(db, kind)
    missing = set(range(total)) - stored_indices(db, table)
    bodies = {index // 1000 for index in missing}  # each query took the next 1,000 in the queue
    print(f"{kind}: {kills} kills ({mid_drain} mid-drain), {count} bodies cut off in transfer, "
          f"{len(missing):,} of {total:,} items lost with them ({salvaged} salvaged from cut bodies)")
    assert count <= kills and len(bodies) <= count  # every item missing was in a body lost in transfer
    if kind == "uplinks":
        with sqlite3.connect(db) as connection:
            optouts = connection.execute("SELECT COUNT(*) FROM optouts").fetchone()[0]
            replied_td = connection.execute("SELECT COUNT(*) FROM uplinks WHERE content='TD'").fetchone()[0]
        assert optouts == replied_td  # every stored opt-out reply is on the list


@pytest.mark.gateway(clock="real", report_delay=[0, 0], delivered_ratio=1.0)
async def test_a_store_locked_mid_send_says_which_send_stopped_and_resume_finishes_it(gateway, tmp_path):
    db = tmp_path / "cli.db"
    config(gateway, db, UNSHARED, chunk_size=10)
    gateway.set_faults(latency=0.3)
    process = await smstui(gateway, db, "send", "--to", ",".join(numbers(100)), "--content", SIGNED, wait=False)
    await until(lambda: len(gateway.world.tasks) >= 2)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holds the database past the busy timeout
    out, _ = await process.communicate()
    blocker.execute("ROLLBACK")
    blocker.close()
    gateway.clear_faults()
    [failed] = [json.loads(line) for line in out.decode().splitlines()]
    assert process.returncode == 4 and failed["error"] == "StoreError" and "locked" in failed["message"]
    send_id = failed["message"].split("send ", 1)[1].split()[0]
    assert f"`smstui resume {send_id}`" in failed["message"]
    status, _, _ = await smstui(gateway, db, "resume", send_id)
    assert status in (0, 3)
    if status == 3:  # the request whose answer could not be journaled is in doubt: its reports decide it
        status, [reconciled], _ = await smstui(gateway, db, "reconcile", send_id, "--resend")
        assert status == 0 and reconciled["unconfirmed"] == []
    counts = accepted_per_mobile(gateway)
    assert len(counts) == 100 and set(counts.values()) == {1}


async def test_a_corrupt_store_is_its_own_exit_status_naming_the_file(gateway, tmp_path):
    db = tmp_path / "cli.db"
    db.write_bytes(b"this is not a database" * 100)
    config(gateway, db)
    status, [failed], _ = await smstui(gateway, db, "balance")
    assert status == 4 and failed["error"] == "StoreError" and str(db) in failed["message"]
