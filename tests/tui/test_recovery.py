"""What needs the support engineer after faults: in the header, one key from Reports, reconciled or accepted there."""

from support.tui import demo_app, send_that_stops, settle, text_of, type_into, until_ready, wait_until

from smstui.tui.screens.ask import Ask
from smstui.tui.sending import ConfirmSend, SendResultScreen
from smstui.tui.sending.reconcile import ReconcileScreen
from smstui.tui.sending.recovery import RecoveryScreen


async def test_a_lost_report_body_and_a_send_in_doubt_are_in_the_header_and_settled_from_reports():
    app = demo_app(extra={"report_delay": [1, 1], "delivered_ratio": 1.0})
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        sim.set_faults(drop_ratio=1.0)  # the gateway sends, the reply is lost
        await type_into(pilot, "#recipients", "\n".join(f"1390000{i:04d}" for i in range(40)))
        await type_into(pilot, "#content", "您好【星辰科技】")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: "doubt 1 · gap 0" in text_of(app, "#status-line"))
        sim.advance(2)
        await pilot.press("f5")
        await pilot.press("alt+p")  # the report query's body is lost on the way: a gap
        assert await wait_until(pilot, lambda: "doubt 1 · gap 1" in text_of(app, "#status-line"))
        sim.clear_faults()
        await pilot.press("alt+e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                                and "may have lost its body" in text_of(app, "#recovery"))
        [in_doubt] = await app.service.unfinished()
        assert f"Send {in_doubt.id}" in text_of(app, "#recovery") and "1 request in doubt" in text_of(app, "#recovery")
        await pilot.click("#reconcile")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReconcileScreen)
                                and "a report query lost its body" in text_of(app, "#reconciled"))
        assert app.screen.query_one("#resend").disabled  # never re-sent for want of a report a gap may have held
        await pilot.click("#checked")  # the user checked the numbers by hand: closed, nothing re-sent
        assert await wait_until(pilot, lambda: not isinstance(app.screen, ReconcileScreen))
        await settle(pilot)
        assert any("nothing was re-sent" in n.message for n in app._notifications)
        await pilot.press("alt+e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                                and "Send " not in text_of(app, "#recovery"))
        await pilot.click("#forget")
        assert await wait_until(pilot, lambda: "Nothing needs you" in text_of(app, "#recovery"))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: "doubt" not in text_of(app, "#status-line"))
    assert len(sim.world.tasks) == 1


async def test_a_send_left_part_way_is_listed_in_what_needs_you_and_resumed_from_there():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await send_that_stops(pilot, [f"137{i:08d}" for i in range(25)], "您好【星辰科技】", after=2)
        await pilot.press("escape")
        await pilot.press("f5")
        await pilot.press("alt+e")
        [stopped] = await app.service.unfinished()
        assert await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                                and f"Send {stopped.id}" in text_of(app, "#recovery"))
        assert "5 numbers not sent yet — resume it" in text_of(app, "#recovery")
        await pilot.click("#resume")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen)
                                and "25 of 25 accepted" in text_of(app, "#result"))
        await pilot.press("escape")
        await pilot.press("alt+e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                                and "Nothing needs you" in text_of(app, "#recovery"))
    assert sorted(m for t in sim.world.tasks.values() for m in t.recipients) == [f"137{i:08d}" for i in range(25)]
