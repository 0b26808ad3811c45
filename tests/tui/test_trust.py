"""A TUI a support engineer can trust: every area current, fresh figures, held numbers never one key away, help."""

import asyncio

from support.simulators import make_sim_config
from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until

from smstui.service import AppConfig, Profile, Store
from smstui.simulator import Simulator
from smstui.tui import ProfileLauncher, make_app
from smstui.tui.sending import ConfirmSend, SendProgressScreen, SendResultScreen
from smstui.tui.sending.reconcile import ReconcileScreen

SIGNED = "【星辰科技】"


async def send_draft(pilot, numbers, content="您好" + SIGNED):
    app = pilot.app
    await type_into(pilot, "#recipients", numbers)
    await type_into(pilot, "#content", content)
    await pilot.press("f9")
    assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))


async def test_a_reply_that_arrived_while_another_area_was_on_screen_is_there_on_return():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert "No replies yet" in text_of(app, "#count")
        await pilot.press("f2")
        await settle(pilot)
        app.launcher.simulator.inject_uplink("demo", "13900139000", "好的，收到")
        await app.service.drain_uplinks()  # what the poller does in the background
        await settle(pilot)
        assert "1 new reply" in text_of(app, "#status-line")  # counted in the header, no toast per poll
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen.query_one("#threads-table").pager.row(0).last_content == "好的，收到"
        assert "new repl" not in text_of(app, "#status-line")


async def test_rows_another_process_stored_show_up_within_seconds(tmp_path):
    store_path = tmp_path / "shared.db"
    app = demo_app(store_path=str(store_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f6")
        await settle(pilot)
        other = await Store(store_path).open()  # a separate push receiver or script on the same store
        import smstui.protocol as p

        await other.ingest_uplinks(app.service.key, [p.Uplink("13700137000", "另一个进程收到的", None)], ["TD"])
        await other.close()

        def shown():
            row = app.screen.query_one("#threads-table").pager.row(0)
            return row is not None and row.last_content == "另一个进程收到的"

        assert await wait_until(pilot, shown, rounds=100, workers=False)


async def test_an_opt_out_that_arrives_holds_the_number_without_a_keystroke():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#recipients", "13900139000\n13700137000")
        await type_into(pilot, "#content", "活动通知" + SIGNED)
        assert await wait_until(pilot, lambda: "Ready to send" in text_of(app, "#why"))
        app.launcher.simulator.inject_uplink("demo", "13700137000", "退订")
        await app.service.drain_uplinks()
        assert await wait_until(pilot, lambda: "13700137000 opted out" in text_of(app, "#problems"))


async def test_opt_outs_arriving_poll_after_poll_are_one_toast_then_one_sum_not_a_wall(monkeypatch):
    import smstui.tui.app as app_module

    monkeypatch.setattr(app_module, "OPTOUT_TOAST_EVERY", 0.5)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)

        def toasts():
            return [str(n.message) for n in app._notifications if "opted out" in str(n.message)]

        for number in ("13700137001", "13700137002", "13700137003"):  # three polls, each with one opt-out
            app.launcher.simulator.inject_uplink("demo", number, "TD")
            await app.service.drain_uplinks()
            await settle(pilot)
        assert toasts() == ["1 number opted out"]  # the first at once, the others wait for the window's end
        await asyncio.sleep(0.6)
        assert await wait_until(pilot, lambda: len(toasts()) == 2)
        assert toasts() == ["1 number opted out", "2 numbers opted out"]


async def test_characters_gbk_cannot_carry_are_flagged_as_typed():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.screen.query_one("#transport").value = "gbk"
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "通道测试€😀" + SIGNED)
        assert await wait_until(pilot, lambda: "cannot be sent over GBK" in text_of(app, "#why"))
        assert app.screen.query_one("#send").disabled


async def test_a_schedule_that_becomes_past_is_refused_without_a_keystroke():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        await type_into(pilot, "#schedule", "2026-03-01 10:05:00")
        assert "Ready to send" in text_of(app, "#why")
        sim.advance(600)  # ten minutes pass while the draft waits
        app.screen._schedule_still_good()  # what its timer does every few seconds
        await settle(pilot)
        assert "in the past" in text_of(app, "#why")


async def test_numbers_of_a_send_in_doubt_are_held_and_reconcile_works_in_the_demo():
    app = demo_app(extra={"report_delay": [1, 1], "delivered_ratio": 1.0})
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        sim.set_faults(drop_ratio=1.0)  # the gateway sends, the reply is lost
        await send_draft(pilot, "13900139000\n13700137000")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        sim.clear_faults()
        assert "Outcome unknown for 2" in text_of(app, "#result") and app.screen.query("#reconcile")
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: "whose outcome is unknown" in text_of(app, "#problems"))
        assert "held back" in text_of(app, "#why")  # both are held: F9 would not send them again silently
        sim.advance(2)  # their reports come
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        assert app.screen.query_one("#yes").disabled
        await pilot.press("escape")
        await settle(pilot)
        # Reconcile (offered by the result) decides from the reports, in this process's own store
        [in_doubt] = await app.service.unfinished()
        app.screen.query_one("#flow").reconcile(in_doubt.id)
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReconcileScreen))
        assert await wait_until(pilot, lambda: "2 confirmed by delivery reports" in text_of(app, "#reconciled"))
        assert "nothing to re-send" in text_of(app, "#reconciled") and app.screen.query_one("#resend").disabled
        await pilot.press("escape")
        assert await app.service.unfinished() == [] and len(sim.world.tasks) == 1


async def test_ctrl_q_during_a_send_asks_first():
    from smstui.tui.screens.quit import QuitWhileSending

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.service.sender.settings.chunk_size = 10
        app.service.sender.settings.concurrency = 1
        await send_draft(pilot, "\n".join(f"139{i:08d}" for i in range(50)))
        app.launcher.simulator.set_faults(latency=0.3)
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendProgressScreen), workers=False)
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: isinstance(app.screen, QuitWhileSending), workers=False)
        assert app.focused.id == "keep" and app.is_running
        await pilot.click("#stop")  # stop after the requests in flight, then quit
        assert await wait_until(pilot, lambda: not app.is_running, rounds=200, workers=False)
    sent = sum(len(t.recipients) for t in app.launcher.simulator.world.tasks.values()) if app.launcher.simulator else 0
    assert sent < 50


async def test_f1_opens_smstuis_own_help_with_this_area_first_and_esc_closes_it():
    from smstui.tui.screens.help import HelpScreen

    for language, words in (("en", ("Here: Compose", "F9 / Alt+S", "Send")), ("zh", ("当前：撰写", "发送", "按键"))):
        app = demo_app(language)
        async with app.run_test(size=(100, 30)) as pilot:
            await until_ready(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            text = text_of(app, "#help-text") + text_of(app, ".title")
            assert all(w in text for w in words), text
            assert text.index(words[0]) < text.index("Reports" if language == "en" else "状态报告")
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_shows_keys_and_finds_english_words_in_chinese():
    from textual.command import CommandPalette

    app = demo_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"send")
        await pilot.pause(0.5)
        shown = " ".join(str(option.prompt) for option in app.screen.query("CommandList").first().options)
        assert "撰写：发送" in shown and "F9" in shown


async def test_the_connection_check_says_what_the_account_may_not_do():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.switch_profile("noreports")
        assert await wait_until(pilot, lambda: app.service is not None and app.service.name == "noreports")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("alt+k")
        assert await wait_until(pilot, lambda: "may not read delivery reports" in text_of(app, "#check-result"))


async def test_a_profile_that_cannot_open_switches_back_to_the_one_that_works(tmp_path, monkeypatch):
    monkeypatch.delenv("NOPE_PASSWORD", raising=False)
    async with Simulator(make_sim_config()) as sim:
        good = Profile(name="good", base_url=sim.url, account="demo", password="demo123", poll_interval=3600)
        bad = Profile(name="bad", base_url=sim.url, account="demo", password_env="NOPE_PASSWORD")
        config = AppConfig(default_profile="good", store_path=str(tmp_path / "s.db"),
                           profiles={"good": good, "bad": bad})
        app = make_app(ProfileLauncher(config))
        async with app.run_test(size=(100, 30)) as pilot:
            await until_ready(pilot)
            app.switch_profile("bad")
            await pilot.pause(0.3)  # the failed opening (its worker's error is told as a toast, not raised)
            assert await wait_until(pilot, lambda: app.service is not None and app.service.name == "good"
                                    and app.status.state == "ok", rounds=200, workers=False)
            assert app.status.profile == "good"


async def test_the_header_recovers_when_polls_succeed_again():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.set_connection("error")
        app._poll_told(None)
        await settle(pilot)
        assert app.status.state == "ok" and "online" in text_of(app, "#status-line")
        await asyncio.sleep(0)
