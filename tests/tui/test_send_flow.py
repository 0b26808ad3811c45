"""The one send flow: mounted by any area, named by its send id from the first moment, stopped by Esc at once."""

import asyncio

from support.tui import demo_app, send_that_stops, text_of, type_into, until_ready, wait_until
from textual.app import ComposeResult
from textual.screen import Screen

import smstui.protocol as p
from smstui.service import BatchJob
from smstui.service.store import ChunkState
from smstui.tui.screens.ask import Ask
from smstui.tui.sending import ConfirmSend, SendFlow, SendProgressScreen, SendResultScreen

SIGNED = "【星辰科技】"


class AnotherArea(Screen[None]):
    """An area of its own that sends personalised rows: it mounts the flow and gives it a job, nothing more."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = []

    def compose(self) -> ComposeResult:
        yield SendFlow(id="flow")

    def on_send_flow_sent(self, message: SendFlow.Sent) -> None:
        self.sent.append(message.outcome)


async def test_the_same_flow_sends_from_compose_and_from_another_area():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        area = AnotherArea()
        await app.push_screen(area)
        rows = (p.BatchRow("13700137000", "尊敬的张先生，您的订单 8812 已发货" + SIGNED),
                p.BatchRow("13600136000", "尊敬的李女士，您的订单 8813 已发货" + SIGNED))
        area.query_one(SendFlow).send(BatchJob(rows=rows))
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        assert "personalised" in text_of(app, ".title") and "batch" in text_of(app, "#summary")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        assert "2 of 2 accepted" in text_of(app, "#result")
        [outcome] = area.sent
        task = sim.world.tasks[outcome.task_ids[0]]
        assert task.kind == "batch" and task.recipients["13600136000"].content == rows[1].content
        assert len(sim.world.tasks) == 2  # one from Compose, one from the other area


async def test_escape_stops_a_send_before_its_first_reply():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        app.service.sender.settings.chunk_size = 10
        app.service.sender.settings.concurrency = 1
        await type_into(pilot, "#recipients", "\n".join(f"139{i:08d}" for i in range(30)))
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        sim.set_faults(latency=3.0)  # the first request takes seconds to be answered (a loaded machine is slow to look)
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendProgressScreen), workers=False)
        progress = app.screen
        assert progress.send_id and "starting" in text_of(app, "#progress-text")  # no reply yet, but an id
        for _ in range(250):  # Esc once the first request is out (a loaded machine may take a while to claim it)
            chunks = await app.service.store.chunks(progress.send_id)
            if any(c.state == ChunkState.INFLIGHT for c in chunks):
                break
            await asyncio.sleep(0.02)
        await pilot.press("escape")
        assert "stopping" in text_of(app, "#progress-text")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen), 300)
        sent = sum(len(t.recipients) for t in sim.world.tasks.values())
        assert sent == 10  # the request in flight, and not one more
        assert "10 of 30 accepted" in text_of(app, "#result") and "smstui resume" in text_of(app, "#result")


async def test_a_stopped_send_is_resumed_from_its_result_once_asked_and_no_number_goes_twice():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await send_that_stops(pilot, [f"139{i:08d}" for i in range(30)], "您好" + SIGNED, after=1)
        assert "10 of 30 accepted" in text_of(app, "#result") and "20 not sent yet" in text_of(app, "#result")
        await pilot.click("#resume")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        assert "The 20 numbers not sent yet go out now (20 points as planned)" in text_of(app, "#ask-body")
        assert "1 of 3 requests done" in text_of(app, "#ask-body")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen)
                                and "30 of 30 accepted" in text_of(app, "#result"))
        assert not app.screen.query("#resume")  # nothing is left to resume
    counts = [m for task in sim.world.tasks.values() for m in task.recipients]
    assert sorted(counts) == [f"139{i:08d}" for i in range(30)]  # each number once


async def test_a_resume_the_user_cancels_sends_nothing():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await send_that_stops(pilot, [f"139{i:08d}" for i in range(20)], "您好" + SIGNED, after=1)
        await pilot.click("#resume")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, Ask))
        assert not app.screen.query_one(SendFlow).busy  # the flow is free for the next send
        [stopped] = await app.service.unfinished()
        assert stopped.waiting == 1
    assert sum(len(task.recipients) for task in sim.world.tasks.values()) == 10
