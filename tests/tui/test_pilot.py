"""The real app driven by Pilot against the in-process simulator: type, count, send, change password, refusals."""

from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until

from smstui.tui.sending import ConfirmSend, IncludeHeld, SendFlow, SendProgressScreen, SendResultScreen

SIGNED = "【星辰科技】"


async def test_typing_updates_the_counter_on_every_keystroke():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#recipients", "13900139000\n13700137000")
        await type_into(pilot, "#content", "字" * 64 + SIGNED)
        assert "70/500" in text_of(app, "#counter")
        counter = text_of(app, "#counter")
        assert "Segments" in counter and "Total cost" in counter and "9,998" in counter
        app.screen.query_one("#content").focus()
        await pilot.press("end", "x")
        await settle(pilot)
        after = text_of(app, "#counter")
        assert "71/500" in after and "9,996" in after  # 2 segments × 2 recipients


async def test_send_shows_task_id_and_the_balance_drops_by_the_cost():
    messages = []
    app = demo_app()
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        await type_into(pilot, "#recipients", "13900139000，+86 137 0013 7000")
        await type_into(pilot, "#content", "您的订单已发货" + SIGNED)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmSend)
        assert sim.world.tasks == {}  # nothing goes out before confirmation
        await pilot.click("#yes")
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, SendResultScreen):
                break
        finished = next(m for m in messages if isinstance(m, SendFlow.Sent))
        [task_id] = finished.outcome.task_ids
        assert task_id in sim.world.tasks and task_id in text_of(app, "#result")
        assert sim.world.accounts["demo"].balance == 10_000 - 2
        for _ in range(50):
            await settle(pilot)
            if app.status.balance == 9_998:
                break
        assert app.status.balance == 9_998


async def test_a_refused_send_shows_the_remedy():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.launcher.simulator.patch_account("demo", balance=0)  # behind the app's back: it still shows 10,000
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmSend) and app.focused.id == "no"  # the fresh balance: it is short
        assert "1 short of the cost" in text_of(app, "#summary") and "just asked" in text_of(app, "#summary")
        await pilot.click("#yes")  # sent anyway: the gateway refuses it, and the result says what to do
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, SendResultScreen):
                break
        result = text_of(app, "#result")
        assert "1111" in result and "Top up the account" in result


async def test_invalid_input_disables_sending_and_says_why():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#recipients", "13900139000\n1380013800")
        await type_into(pilot, "#content", "没有签名")
        assert app.screen.query_one("#send").disabled
        assert "fix the invalid numbers" in text_of(app, "#why")
        assert "line 2: 1380013800 has 10 digits" in text_of(app, "#problems")
        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmSend) and app.launcher.simulator.world.tasks == {}
        assert app.screen.query_one("#recipients").text == "13900139000\n1380013800"  # nothing the user typed is lost


async def test_password_change_from_the_account_screen():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await type_into(pilot, "#new", "n3w-secret")
        await type_into(pilot, "#again", "n3w-secret")
        await pilot.click("#change")
        await settle(pilot)
        assert "Change the password of account demo" in text_of(app, ".title")  # it asks once, naming the account
        assert app.focused.id == "no" and app.launcher.simulator.world.accounts["demo"].password == "demo123"
        await pilot.click("#yes")
        for _ in range(50):
            await settle(pilot)
            if "changed" in text_of(app, "#password-result"):
                break
        assert "Password changed" in text_of(app, "#password-result")
        assert app.launcher.simulator.world.accounts["demo"].password == "n3w-secret"
        await type_into(pilot, "#new", "a")
        await type_into(pilot, "#again", "b")
        await pilot.click("#change")
        await settle(pilot)
        assert "differ" in text_of(app, "#password-result")


async def test_connection_check_tells_wrong_credentials_apart():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f8")
        await settle(pilot)
        app.launcher.simulator.patch_account("demo", password="changed-elsewhere")
        await pilot.click("#check")
        await settle(pilot)
        assert "wrong credentials" in text_of(app, "#check-result")
        app.launcher.simulator.patch_account("demo", password="demo123", enabled=False)
        await settle(pilot)
        app.screen.action_check()
        await settle(pilot)
        assert "account disabled" in text_of(app, "#check-result")


async def test_progress_moves_during_a_large_send_and_escape_stops_it():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        sim = app.launcher.simulator
        app.service.sender.settings.chunk_size = 10
        app.service.sender.settings.concurrency = 1
        sim.set_faults(latency=0.05)
        numbers = "\n".join(f"139{i:08d}" for i in range(300))
        await type_into(pilot, "#recipients", numbers)
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendProgressScreen), workers=False)
        assert await wait_until(pilot, lambda: "/300 numbers" in text_of(app, "#progress-text"), workers=False)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen), 300)
        sent = sum(len(t.recipients) for t in sim.world.tasks.values())
        assert 0 < sent < 300
        result = text_of(app, "#result")
        assert f"{sent} of 300 accepted" in result and "smstui resume" in result


async def test_switching_profile_keeps_the_draft_and_shows_the_new_account():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "草稿还在" + SIGNED)
        await pilot.press("f8")
        await settle(pilot)
        app.screen.query_one("#profiles").value = "postpaid"
        await pilot.click("#switch")
        assert await wait_until(pilot, lambda: app.status.profile == "postpaid" and app.status.balance == 0)
        assert "post-paid" in text_of(app, "#balances")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.query_one("#content").text == "草稿还在" + SIGNED
        assert app.service.name == "postpaid" and "profile postpaid" in text_of(app, "#status-line")


async def test_a_password_over_20_characters_is_refused_not_cut():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f8")
        await settle(pilot)
        long = "x" * 24
        await type_into(pilot, "#new", long)
        await type_into(pilot, "#again", long)
        app.screen.query_one("#again").focus()
        await pilot.press("enter")  # Enter in the second field submits
        await settle(pilot)
        assert "24 characters" in text_of(app, "#password-result")
        assert app.launcher.simulator.world.accounts["demo"].password == "demo123"


async def test_when_every_number_is_held_back_sending_needs_the_explicit_choice():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await app.service.add_optout("13900139000")
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        assert await wait_until(pilot, lambda: "held back" in text_of(app, "#why"))
        assert app.screen.query_one("#send").disabled
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        assert app.screen.query_one("#yes").disabled and app.focused.id == "no"
        await pilot.press("alt+o")  # the override is a second, deliberate step
        assert await wait_until(pilot, lambda: isinstance(app.screen, IncludeHeld))
        assert app.focused.id == "no" and "1 of them opted out" in text_of(app, "#override")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        [task] = app.launcher.simulator.world.tasks.values()
        assert list(task.recipients) == ["13900139000"]


async def test_header_follows_the_transport_and_the_connection_check():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.screen.query_one("#transport").value = "json"
        await settle(pilot)
        assert "json" in text_of(app, "#status-line")
        await pilot.press("f8")
        await settle(pilot)
        app.launcher.simulator.patch_account("demo", enabled=False)
        await pilot.press("alt+k")
        assert await wait_until(pilot, lambda: "account disabled" in text_of(app, "#status-line"))


async def test_a_schedule_in_the_past_blocks_sending_at_once():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        await type_into(pilot, "#schedule", "2026-02-28 10:00:00")
        assert "in the past" in text_of(app, "#why") and app.screen.query_one("#send").disabled
        await type_into(pilot, "#schedule", "2026-03-02 10:00:00")
        assert "Ready to send" in text_of(app, "#why")
        assert "2026-03-02 10:00:00 Beijing" in text_of(app, "#problems")


async def test_the_draft_shows_which_enabled_template_it_matches():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await type_into(pilot, "#content", "您的验证码是4321，5分钟内有效【星辰科技】")
        assert "Template ✓ 您的验证码是@，@分钟" in text_of(app, "#template")  # its text (cut to a line), not its id
        await type_into(pilot, "#content", "随便写点什么【星辰科技】")
        assert "no match" in text_of(app, "#template")


async def test_area_keys_wait_while_a_send_is_in_progress():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        app.service.sender.settings.chunk_size = 10
        app.service.sender.settings.concurrency = 1
        app.launcher.simulator.set_faults(latency=0.2)
        await type_into(pilot, "#recipients", "\n".join(f"139{i:08d}" for i in range(100)))
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendProgressScreen), workers=False)
        await pilot.press("f5")  # refused: the dialog keeps the screen until the send ends
        assert isinstance(app.screen, SendProgressScreen) and app.current_mode == "compose"
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen), 300), app.screen_stack
        assert "100 of 100 accepted" in text_of(app, "#result")
        await pilot.press("escape")
        await pilot.press("f5")
        await settle(pilot)
        assert app.current_mode == "reports"


async def test_a_refusal_reads_in_chinese_with_its_remedy():
    app = demo_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f8")
        await settle(pilot)
        app.launcher.simulator.patch_account("demo", enabled=False)
        await pilot.press("alt+k")
        assert await wait_until(pilot, lambda: "1007" in text_of(app, "#check-result"))
        result = text_of(app, "#check-result")
        assert "帐户已停用" in result and "请网关管理员重新启用该账户" in result
