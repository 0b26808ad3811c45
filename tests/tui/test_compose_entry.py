"""Other areas start a message in Compose: a reply's number, a template's text with its first variable selected."""

from support.tui import demo_app, settle, until_ready, wait_until

from smstui.tui.screens.compose import ComposeScreen


async def test_another_area_hands_compose_a_number_and_a_text_with_a_part_selected():
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("f6")
        await settle(pilot)
        app.compose_with("13900139000", "您的验证码是@，@分钟内有效【星辰科技】", (6, 7))
        assert await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen)
                                and app.screen.query_one("#content").selected_text == "@")
        screen = app.screen
        assert screen.query_one("#recipients").text == "13900139000"
        assert screen.query_one("#content").has_focus
        app.compose_with(numbers="13700137000")  # only the numbers: the message stays
        await settle(pilot)
        assert screen.query_one("#recipients").text == "13700137000"
        assert screen.query_one("#content").text.startswith("您的验证码是")
