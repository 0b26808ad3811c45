"""`smstui batch` reads, maps, merges and checks with the editor's code: --map, --template, --drop-bad; a real process
against the simulator over HTTP; `--edit` opens the same file in the TUI's editor."""

import pytest
from support.cli import SIGNED, smstui
from support.tui import demo_app, settle, until_ready, wait_until

from smstui.tui.screens.batch import BatchScreen
from smstui.tui.screens.batch_start import BatchEditorApp


@pytest.mark.gateway(clock="real")
async def test_columns_named_by_map_and_messages_by_a_template(gateway, tmp_path):
    data = "客户电话,客户,单号\n13900139000,张先生,8812\n13700137000,李女士,8813\n"
    (tmp_path / "orders.csv").write_bytes(data.encode("gbk"))
    db = tmp_path / "cli.db"
    template = "尊敬的{客户}，您的订单 {单号} 已发货" + SIGNED
    status, [refused], _ = await smstui(gateway, db, "batch", str(tmp_path / "orders.csv"), "--template", template)
    assert status == 2 and "no column is named like numbers (the columns: 客户电话, 客户, 单号)" in refused["message"]
    status, [sent], _ = await smstui(gateway, db, "batch", str(tmp_path / "orders.csv"), "--map", "客户电话=mobile",
                                     "--template", template)
    assert status == 0 and sent["success_count"] == 2
    task = gateway.world.tasks[sent["task_ids"][0]]
    assert task.recipients["13700137000"].content == "尊敬的李女士，您的订单 8813 已发货" + SIGNED
    status, [unknown], _ = await smstui(gateway, db, "batch", str(tmp_path / "orders.csv"), "--map", "A=mobile",
                                        "--template", "尊敬的{姓名}" + SIGNED)
    assert status == 2 and "{姓名} names no column (the columns: 客户电话, 客户, 单号)" in unknown["message"]
    status, [bad_map], _ = await smstui(gateway, db, "batch", str(tmp_path / "orders.csv"), "--map", "电话=mobile")
    assert status == 2 and "no column '电话': the columns are 客户电话, 客户, 单号" in bad_map["message"]


@pytest.mark.gateway(clock="real")
async def test_drop_bad_sends_the_other_rows_and_names_each_left_out(gateway, tmp_path):
    (tmp_path / "mixed.csv").write_text(f"mobile,content\n13900139000,您好{SIGNED}\n1234,您好{SIGNED}\n"
                                        f"13700137000,\n13900139000,再见{SIGNED}\n", encoding="utf-8")
    db = tmp_path / "cli.db"
    status, [refused], _ = await smstui(gateway, db, "batch", str(tmp_path / "mixed.csv"))
    assert status == 2 and "line 3: 1234 has 4 digits" in refused["message"]
    assert "line 5: 13900139000 is already on line 2" in refused["message"] and "--drop-bad" in refused["message"]
    assert not gateway.world.tasks
    status, lines, err = await smstui(gateway, db, "batch", str(tmp_path / "mixed.csv"), "--drop-bad")
    sent = lines[-1]
    assert status == 0 and sent["success_count"] == 1
    assert "line 3 not sent" in err and "line 4 not sent" in err and "line 5 not sent" in err


@pytest.mark.gateway(clock="real")
async def test_a_file_that_cannot_be_read_is_named_with_its_line(gateway, tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "empty.csv").write_bytes(b"")
    status, [empty], _ = await smstui(gateway, db, "batch", str(tmp_path / "empty.csv"))
    assert status == 2 and empty["message"] == f"{tmp_path / 'empty.csv'}: the file is empty (0 bytes)"
    (tmp_path / "quote.csv").write_text(f'mobile,content\n13900139000,"您好{SIGNED}\n13700137000,再见{SIGNED}\n')
    status, [quote], _ = await smstui(gateway, db, "batch", str(tmp_path / "quote.csv"))
    assert status == 2 and "line 2: a quoted cell opens here and is not closed before line 3" in quote["message"]
    status, lines, err = await smstui(gateway, db, "batch", str(tmp_path / "quote.csv"), "--drop-bad")
    assert status == 0 and lines[-1]["success_count"] == 1  # the row after the open quote, read whole
    assert "not read, not sent: line 2: a quoted cell opens here" in err


async def test_edit_opens_the_file_in_the_editor(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n13700137000,再见{SIGNED}\n", encoding="utf-8")
    demo = demo_app()
    app = BatchEditorApp(demo.launcher, str(path), language="en")
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await until_ready(pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen) and app.screen.doc is not None)
        await settle(pilot)
        assert app.screen.doc.sendable == 2 and str(path) == app.screen.query_one("#path").value
