"""The real app driven by Pilot against the in-process simulator: type, count, send, change password, refusals."""

from tui_support import demo_app, settle, type_into, until_ready

from smstui.tui.messages import SendFinished
from smstui.tui.screens.dialogs import ConfirmSend, SendResultScreen

SIGNED = "【星辰科技】"


def text_of(app, selector):
    return str(app.screen.query_one(selector).render())


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
        finished = next(m for m in messages if isinstance(m, SendFinished))
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
        app.launcher.simulator.patch_account("demo", balance=0)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "您好" + SIGNED)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("enter")
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
