"""The Templates area on the demo's simulator (reviews decided after its delay, texts with a configured word
returned): add → under review → enabled with no refresh pressed, edit → back to review, a returned one, delete
after a confirmation naming it, use in Compose, Compose's live match on the shared list, the match preview, import
and export, and the account without the template feature told in words."""

import pytest
from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until
from textual import events
from textual.widgets import OptionList, TextArea

import smstui.protocol as p
from smstui.tui.screens.compose import ComposeScreen
from smstui.tui.screens.templates import TemplatesScreen
from smstui.tui.screens.templates_dialogs import ConfirmDelete, ImportTemplates, MatchPreview, TemplateEditor

CODE = "您的验证码是@，@分钟内有效【星辰科技】"  # the demo account's two enabled templates
ORDER = "尊敬的@，您的订单@已发货【星辰科技】"
NEW = "会员@，您的积分@已到账【星辰科技】"
REVIEW_DELAY = 10  # the simulator's default: simulated seconds until a review is decided


async def open_templates(pilot) -> TemplatesScreen:
    await until_ready(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TemplatesScreen)
    book = pilot.app.service.template_book
    assert await wait_until(pilot, lambda: book.loaded and not screen.asking)
    book.review_first = 0.05  # the watch asks again soon (the simulator's clock decides when reviews end)
    return screen


def rows(app) -> list[str]:
    """What the list shows, a line per template."""
    listing = app.screen.query_one("#list", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def notified(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def highlight(pilot, text: str) -> None:
    screen = pilot.app.screen
    pilot.app.screen.query_one("#list", OptionList).highlighted = [t.text for t in screen.shown].index(text)
    await settle(pilot)


async def add(pilot, text: str) -> str:
    """Add a template through the editor, as a user does; its id."""
    app = pilot.app
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, TemplateEditor)
    await type_into(pilot, "#text", text)
    await pilot.press("ctrl+s")
    assert await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen))
    [added] = [t for t in app.service.template_book.templates if t.text == text]
    return added.template_id


async def test_a_new_template_is_under_review_then_shown_enabled_without_a_refresh():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#text", NEW)
        assert "2 variables" in text_of(app, "#checks") and "The rules take it" in text_of(app, "#checks")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen))
        template_id = next(t.template_id for t in app.service.template_book.templates if t.text == NEW)
        assert app.screen.current().template_id == template_id  # the new one is highlighted
        assert any("under review" in row and "会员" in row for row in rows(app))
        assert "1 under review" in text_of(app, "#counts") and "under review" in text_of(app, "#note")
        assert app.launcher.simulator.world.templates["demo"][template_id].status == p.TemplateStatus.REVIEW
        app.launcher.simulator.advance(REVIEW_DELAY + 1)  # the gateway decides; nobody presses R
        assert await wait_until(pilot, lambda: any("enabled" in r and "会员" in r for r in rows(app)), workers=False)
        assert any(n.startswith("Template enabled") and template_id in n for n in notified(app))
        assert "under review" not in text_of(app, "#counts")


async def test_an_edit_warns_it_goes_back_to_review_and_does():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_templates(pilot)
        await highlight(pilot, ORDER)
        template_id = screen.current().template_id
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TemplateEditor)
        assert "back to review" in text_of(app, "#warning")
        assert app.screen.query_one("#text", TextArea).text == ORDER  # the current text, to change
        await type_into(pilot, "#text", ORDER.replace("订单", "包裹"))
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen))
        edited = app.service.template_book.get(template_id)
        assert edited.status == p.TemplateStatus.REVIEW and "包裹" in edited.text
        assert app.launcher.simulator.world.templates["demo"][template_id].text == edited.text
        assert any("under review" in row and "包裹" in row for row in rows(app))


async def test_the_rules_are_checked_as_typed_and_nothing_goes_while_they_refuse():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#text", "编号@@@@@@，详见【说明】内容")
        assert "the signature must end the message" in text_of(app, "#checks")
        await type_into(pilot, "#text", "编号@@@@@@，详见【说明】内容【星辰科技】")
        checks = text_of(app, "#checks")
        assert "6 @ in a row; at most 5" in checks and "(character 12) reads as a second signature" in checks
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TemplateEditor) and "nothing was sent" in text_of(app, "#said")
        assert app.screen.query_one("#text", TextArea).text == "编号@@@@@@，详见【说明】内容【星辰科技】"  # kept
        assert len(app.launcher.simulator.world.templates["demo"]) == 2


async def test_a_returned_template_shows_its_state_and_says_what_to_do():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_templates(pilot)
        template_id = await add(pilot, "返利活动@开始了【星辰科技】")  # 返利 is a word the reviewers return
        app.launcher.simulator.advance(REVIEW_DELAY + 1)
        assert await wait_until(pilot, lambda: any("returned" in r for r in rows(app)), workers=False)
        assert any(n.startswith("Template returned") and template_id in n for n in notified(app))
        await type_into(pilot, "#search", "返利")
        assert await wait_until(pilot, lambda: len(screen.shown) == 1)  # once typing pauses
        assert screen.current().status == p.TemplateStatus.RETURNED
        assert "Returned by the reviewers" in text_of(app, "#detail")
        screen.query_one("#state").value = "4"  # the returned ones only
        await type_into(pilot, "#search", "")
        assert await wait_until(pilot, lambda: [t.template_id for t in screen.shown] == [template_id])


async def test_delete_asks_naming_the_template_then_deletes_it_on_the_gateway():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_templates(pilot)
        await highlight(pilot, ORDER)
        template_id = screen.current().template_id
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        assert template_id in str(app.screen.query_one(".title").render())
        await pilot.press("enter")  # the focused button keeps it
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen) and template_id in app.launcher.simulator.world.templates["demo"]
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: template_id not in app.launcher.simulator.world.templates["demo"])
        assert app.service.template_book.get(template_id) is None
        assert not any("订单" in row for row in rows(app))


async def test_use_opens_compose_with_the_text_and_each_variable_selected_in_turn():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await highlight(pilot, CODE)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        content = app.screen.query_one("#content", TextArea)
        assert content.text == CODE and content.selected_text == "@"
        await pilot.press("1", "2", "3", "4")
        await pilot.press("tab")
        await settle(pilot)
        assert content.selected_text == "@" and content.selection.start == (0, CODE.index("，@") + 1 + 4 - 1)
        await pilot.press("5")
        await settle(pilot)
        assert content.text == "您的验证码是1234，5分钟内有效【星辰科技】"
        assert "Template ✓" in text_of(app, "#template")


async def test_tab_fills_the_variables_in_the_order_the_keys_came_even_in_a_burst():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await highlight(pilot, CODE)
        await pilot.press("u")
        await settle(pilot)
        for key, character in [("9", "9"), ("8", "8"), ("tab", None), ("7", "7")]:  # as a terminal sends a paste
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        assert app.screen.query_one("#content", TextArea).text == "您的验证码是98，7分钟内有效【星辰科技】"


async def test_a_template_enabled_in_the_manager_counts_in_compose_at_once():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await add(pilot, NEW)
        await pilot.press("f2")
        await settle(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#content", "会员张三，您的积分200已到账【星辰科技】")
        assert "under review" in text_of(app, "#template")  # it fits, but is not enabled yet
        app.launcher.simulator.advance(REVIEW_DELAY + 1)  # decided while Compose is on screen; no key pressed
        assert await wait_until(pilot, lambda: "Template ✓" in text_of(app, "#template"), workers=False)


async def test_the_match_preview_names_the_match_or_the_closest_and_where_it_differs():
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MatchPreview)
        await type_into(pilot, "#content", "尊敬的李四，您的订单A123已发货【星辰科技】")
        result = text_of(app, "#result")
        assert "Matches enabled template" in result and "李四" in result and "A123" in result
        await type_into(pilot, "#content", "尊敬的李四，您的包裹A123已发货【星辰科技】")
        result = text_of(app, "#result")
        assert "Matches no enabled template" in result and ORDER in result
        assert "character 9: “包裹” where the template has “订单”" in result


async def test_import_shows_what_it_would_do_then_submits_and_export_reads_back_as_nothing_new(tmp_path):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_templates(pilot)
        path = tmp_path / "mine.csv"
        path.write_text(f"模板内容\n{NEW}\n{CODE}\n编号@@@@@@【星辰科技】\n", encoding="utf-8")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportTemplates)
        await type_into(pilot, "#path", str(path))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.plan is not None)
        plan = text_of(app, "#plan")
        assert "1 new · 1 already there · 1 refused" in plan and "line 4" in plan
        await pilot.click("#go")
        assert await wait_until(pilot, lambda: "1 submitted for review" in text_of(app, "#plan"))
        assert NEW in {t.text for t in app.launcher.simulator.world.templates["demo"].values()}
        await pilot.press("escape")
        await settle(pilot)
        out = tmp_path / "out.csv"
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#path", str(out))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen))
        assert out.read_bytes().startswith(b"\xef\xbb\xbf") and NEW in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("language", "words"), [("en", "enable interface templates"),
                                                ("zh", "请管理员开通接口报备功能")])
async def test_an_account_without_the_template_feature_says_so_in_words(language, words):
    app = demo_app(language)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        app.switch_profile("notemplate")
        assert await wait_until(pilot, lambda: app.service is not None and app.service.name == "notemplate")
        await pilot.press("f7")
        screen = app.screen
        assert await wait_until(pilot, lambda: screen.failure is not None)
        assert "1119" in text_of(app, "#note") and words in text_of(app, "#detail")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen)  # nothing to add to: said again, no editor
        assert any(words in n for n in notified(app))
