"""Pictures of the Batch area, deterministic: a seeded demo, a frozen clock, fixed sizes, both languages — the error
summary, a row's preview, the mapping step."""

import pytest
from support.tui import demo_app, settle, type_into, until_ready, wait_until

from smstui.tui.screens.batch import BatchScreen
from smstui.tui.screens.batch_dialogs import MappingDialog

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh"]
SIGNED = "【星辰科技】"
ROWS = [
    f"13900139000,张先生,8812,尊敬的张先生，您的订单 8812 已发货{SIGNED}",
    f"1390013900,李女士,8813,尊敬的李女士，您的订单 8813 已发货{SIGNED}",
    "13700137000,王先生,8814,尊敬的王先生，您的订单 8814 已发货",
    "13600136000,赵女士,8815,",
    f"13900139000,张先生,8812,尊敬的张先生，您的订单 8812 已发货{SIGNED}",
    f"13500135000,刘先生,8816,{'尊敬的刘先生，' * 30}您的订单 8816 已发货{SIGNED}",
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    """The batch files, in the working directory (so the paths shown are the same on every machine)."""
    text = "手机号码,姓名,订单号,短信内容\r\n" + "\r\n".join(ROWS) + "\r\n"
    (tmp_path / "orders.csv").write_bytes(text.encode("gbk"))
    (tmp_path / "客户.csv").write_bytes(("客户电话,客户,单号\r\n13900139000,张先生,8812\r\n13700137000,李女士,8813\r\n"
                                         ).encode("gbk"))
    monkeypatch.chdir(tmp_path)


def editor(path: str, bad_row: bool = False, mapping: bool = False):
    async def run_before(pilot):
        await until_ready(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BatchScreen)
        await type_into(pilot, "#path", path)
        screen.query_one("#path").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not screen.busy and screen.doc is not None)
        if mapping:
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, MappingDialog))
        if bad_row:
            await pilot.press("alt+n")
        for _ in range(10):
            await settle(pilot)
    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_error_summary(snap_compare, files, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=editor("orders.csv"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_bad_rows_preview(snap_compare, files, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=editor("orders.csv", bad_row=True))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_mapping_step(snap_compare, files, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=editor("客户.csv", mapping=True))
