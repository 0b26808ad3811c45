"""Pictures of the Templates area, deterministic (seeded demo, frozen clock): the list with every state, the editor
checking as typed, the delete confirmation, the match preview, an account without the template feature — at 80x24
and 120x40, in English and Chinese."""

import pytest
from support.tui import demo_app, settle, type_into, until_ready, wait_until

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh"]
RETURNED = "返利活动@开始了，详情见【活动页】【星辰科技】"
REVIEW = "会员@，您的积分@@已到账【星辰科技】"


def templates(press=(), typed=(), profile=""):
    """Open Templates with a returned and an under-review template beside the demo's two enabled ones."""

    async def run_before(pilot):
        app = pilot.app
        await until_ready(pilot)
        if profile:
            app.switch_profile(profile)
            await wait_until(pilot, lambda: app.service is not None and app.service.name == profile)
        else:
            book = app.service.template_book
            await book.refresh()
            await book.add(RETURNED)
            app.launcher.simulator.advance(11)
            await book.refresh()
            await book.add(REVIEW)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: not getattr(screen, "asking", False))
        app.clear_notifications()  # the returned one's toast would show through a dialog
        await settle(pilot)
        for key in press:
            await pilot.press(key)
            await settle(pilot)
        for selector, text in typed:
            await type_into(pilot, selector, text)
        app.clear_notifications()
        for _ in range(20):
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_list_with_every_state(snap_compare, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=templates())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_returned_template_highlighted(snap_compare, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=templates(press=["down", "down"]))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_editor_checks_as_typed(snap_compare, size, language):
    typed = [("#text", "尊敬的@，您的订单@已发货，详见【订单页】@@@@@@【星辰科技】")]
    assert snap_compare(demo_app(language), terminal_size=size, run_before=templates(press=["e"], typed=typed))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_delete_confirmation_names_the_template(snap_compare, language):
    assert snap_compare(demo_app(language), terminal_size=(80, 24), run_before=templates(press=["delete"]))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_match_preview_shows_the_closest_and_where_it_differs(snap_compare, size, language):
    typed = [("#content", "尊敬的李四，您的包裹A123已发货啦【星辰科技】")]
    assert snap_compare(demo_app(language), terminal_size=size, run_before=templates(press=["m"], typed=typed))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_account_without_the_template_feature(snap_compare, language):
    assert snap_compare(demo_app(language), terminal_size=(80, 24), run_before=templates(profile="notemplate"))
