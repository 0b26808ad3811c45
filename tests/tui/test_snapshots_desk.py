"""Pictures of Reports and Inbox, deterministic: the seeded demo, a frozen clock, fixed sizes, both languages — a
send's tasks, a task's numbers, a filtered report list, why they failed, the statistics, a thread."""

import pytest
from support.tui import demo_app, settle, type_into, until_ready, wait_until

from smstui.tui.sending import ConfirmSend, SendResultScreen

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh"]
NUMBERS = "\n".join(["13900139000", "13700137000", "13600136000", "13500135000", "13300133000", "13100131000",
                     "13800138000", "15900159000"])
WORLD = {"report_delay": [1, 4], "delivered_ratio": 0.6, "failure_codes": ["MK:0001", "UNDELIV", "MK:0005"]}


def desk(*keys: str, filter_text: str = "", days: int = 1):
    """A send of eight numbers a day with some reports in, a reply to it, then the keys pressed in the desk."""
    async def run_before(pilot):
        app = pilot.app
        await until_ready(pilot)
        sim = app.launcher.simulator
        for day in range(days):
            if day:
                sim.advance(86_400)
                await app.service.drain_reports()
            await pilot.press("f2")
            await type_into(pilot, "#recipients", NUMBERS)
            await type_into(pilot, "#content", "春季新品上市，全场八折，详询门店【星辰科技】")
            await pilot.press("f9")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
            await pilot.click("#yes")
            await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
            await pilot.press("escape")
        sim.advance(3)  # some reports are in, some still to come
        sim.inject_uplink("demo", "13900139000", "请问活动到什么时候？")
        await app.service.drain_reports()
        await app.service.drain_uplinks()
        app.clear_notifications()
        for key in keys:
            if key == "filter":
                await pilot.press("slash")
                await type_into(pilot, "#filter", filter_text)
                key = "enter"
            await pilot.press(key)
            for _ in range(3):
                await settle(pilot)
        for _ in range(10):
            await settle(pilot)
    return run_before


def app(language):
    return demo_app(language, reply_rate=0.0, extra=WORLD)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_sends_tasks(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size, run_before=desk("f5", "1", "enter"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_tasks_numbers(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size, run_before=desk("f5", "1", "enter", "enter"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_filtered_report_list(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size,
                        run_before=desk("f5", "filter", filter_text="status:failed date:today"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_why_it_failed(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size, run_before=desk("f5", "3"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_statistics(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size, run_before=desk("f5", "4", days=5))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_thread(snap_compare, size, language):
    assert snap_compare(app(language), terminal_size=size, run_before=desk("f6", "enter"))
