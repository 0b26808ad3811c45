"""The Batch area on the demo's simulator: a GBK file with a Chinese header mapped, fixed, a duplicate dropped and
sent through the shared flow with task ids and per-row results; merge fields; a stopped batch resumed without a row
sent twice (counted on the simulator); bad files told by file and line, the batch open before kept."""

from dataclasses import replace
from pathlib import Path

from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until
from textual.widgets import Input, Select

from smstui.service import SendProgress
from smstui.tui.screens.ask import Ask
from smstui.tui.screens.batch import BatchScreen
from smstui.tui.screens.batch_dialogs import MappingDialog, RowDialog, WriteDialog
from smstui.tui.sending import ConfirmSend, SendResultScreen

SIGNED = "【星辰科技】"


def write_gbk(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\r\n".join(lines).encode("gbk") + b"\r\n")
    return path


def batch_tasks(sim) -> list:
    """The simulator's accepted point-to-point tasks."""
    return [task for task in sim.world.tasks.values() if task.kind == "batch"]


def received(sim) -> list[str]:
    """Every number the simulator accepted a batch message for, once per message."""
    return [mobile for task in batch_tasks(sim) for mobile in task.recipients]


async def open_batch(pilot, path: Path | str) -> BatchScreen:
    """F3, the file's path typed and Enter, as a user does; until it is read and checked."""
    await until_ready(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BatchScreen)
    await type_into(pilot, "#path", str(path))
    screen.query_one("#path").focus()
    await pilot.press("enter")
    assert await wait_until(pilot, lambda: not screen.busy and (screen.doc is not None or screen.error))
    return screen


async def test_a_gbk_file_with_a_chinese_header_is_mapped_fixed_deduplicated_and_sent(tmp_path):
    path = write_gbk(tmp_path / "客户.csv", [
        "客户电话,客户,短信",  # 客户电话 is no name smstui knows: the mapping step asks
        f"13900139000,张先生,尊敬的张先生，您的订单 8812 已发货{SIGNED}",
        f"1390013900,李女士,尊敬的李女士，您的订单 8813 已发货{SIGNED}",
        f"13700137000,王先生,尊敬的王先生，您的订单 8814 已发货{SIGNED}",
        f"13900139000,张先生,尊敬的张先生，您的订单 8812 已发货{SIGNED}",
    ])
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        sim = app.launcher.simulator
        assert await wait_until(pilot, lambda: isinstance(app.screen, MappingDialog))
        dialog = app.screen
        assert "No column is named like numbers" in text_of(app, "#map-doubts")
        assert dialog.query_one("#role-0", Select).value == "mobile"  # found by its cells, put to the user
        assert dialog.query_one("#role-2", Select).value == "content"
        await pilot.click("#apply")
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen) and not screen.busy)
        doc = screen.doc
        assert doc.table.source.encoding == "gb18030" and "GB18030 · comma · 4 rows" in text_of(app, "#source")
        summary = text_of(app, "#summary")
        assert "invalid number: 1 (line 3)" in summary and "number repeated: 1 (line 5)" in summary
        assert "2 rows have errors" in text_of(app, "#why")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen)  # nothing goes out while rows have errors
        # Alt+N goes to the bad row; Enter opens its cells; the number is fixed; only that row is checked again.
        screen.rows_table.focus()
        await pilot.press("alt+n")
        await settle(pilot)
        assert screen.rows_table.cursor == 1
        assert "10 digits" in text_of(app, "#preview")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RowDialog))
        await type_into(pilot, "#cell-0", "13600136000")
        await pilot.click("#save")
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen))
        assert not doc.rows[1].bad and "number repeated: 1" in text_of(app, "#summary")
        await pilot.press("alt+n")
        await settle(pilot)
        assert screen.rows_table.cursor == 3
        await pilot.press("alt+d")  # the duplicate is dropped (it stays listed as dropped)
        await settle(pilot)
        assert doc.rows[3].state == "dropped" and "Ready to send" in text_of(app, "#why")
        assert "4 rows · 3 to send · 3 points" in text_of(app, "#totals-line")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        assert "3 of 3 accepted" in text_of(app, "#result")
        [task] = batch_tasks(sim)
        assert task.task_id in text_of(app, "#result")
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: bool(screen.results))
        screen.rows_table.cursor = 1
        await settle(pilot)
        assert f"Accepted · task {task.task_id}" in text_of(app, "#preview")
    assert sorted(task.recipients) == ["13600136000", "13700137000", "13900139000"]
    assert task.recipients["13600136000"].content == f"尊敬的李女士，您的订单 8813 已发货{SIGNED}"


async def test_merge_fields_fill_each_row_and_an_unknown_one_is_an_error(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("手机号码,姓名,订单号\n13900139000,张先生,8812\n13700137000,李女士,8813\n13600136000,,8814\n",
                    encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        sim = app.launcher.simulator
        assert await wait_until(pilot, lambda: isinstance(app.screen, MappingDialog))  # no content column: asked
        await type_into(pilot, "#map-template", "尊敬的{姓名}，您的订单 {订单号} 已发货" + SIGNED)
        await pilot.click("#apply")
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen) and not screen.busy)
        doc = screen.doc
        assert [row.message for row in doc.rows[:2]] == [f"尊敬的张先生，您的订单 8812 已发货{SIGNED}",
                                                         f"尊敬的李女士，您的订单 8813 已发货{SIGNED}"]
        assert "merge field empty: 1 (line 4)" in text_of(app, "#summary")
        await type_into(pilot, "#template", "尊敬的{名字}，您的订单 {订单号} 已发货" + SIGNED)
        screen.query_one("#template").focus()
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: not screen.busy)
        assert "{名字} names no column (the columns: 手机号码, 姓名, 订单号)" in text_of(app, "#summary")
        assert "the template names a column the file does not have" in text_of(app, "#why")
        await type_into(pilot, "#template", "{姓名}您好，订单 {订单号} 已发货" + SIGNED)
        screen.query_one("#template").focus()
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: not screen.busy)
        screen.rows_table.cursor = 2
        screen.rows_table.focus()
        await pilot.press("alt+k")  # the row without a name is held back for now
        await settle(pilot)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
    [task] = batch_tasks(sim)
    assert {m: r.content for m, r in task.recipients.items()} == {
        "13900139000": f"张先生您好，订单 8812 已发货{SIGNED}", "13700137000": f"李女士您好，订单 8813 已发货{SIGNED}"}


async def test_a_stopped_batch_is_resumed_and_sends_no_row_twice(tmp_path):
    path = tmp_path / "five.csv"
    rows = [f"1390013900{i},您好，第 {i} 位客户{SIGNED}" for i in range(5)]
    path.write_text("mobile,content\n" + "\n".join(rows) + "\n", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        sim = app.launcher.simulator
        service = app.service
        ctx = service.sender.ctx
        ctx.settings = replace(ctx.settings, batch_rows=2, concurrency=1)  # three requests of at most two rows
        # The send stops after its first request is answered, as a crash or Esc leaves it: the rest journaled.
        stop = service.bus.subscribe(lambda e: service.cancel(e.send_id)
                                     if isinstance(e, SendProgress) and e.chunks_done == 1 else None)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        stop()
        assert received(sim) == ["13900139000", "13900139001"]
        assert await wait_until(pilot, lambda: bool(screen.resumable))
        assert "Resumable: 1 of 3 chunks done, 3 rows left" in text_of(app, "#resume-text")
        await pilot.click("#resume")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        assert "The 3 numbers not sent yet go out now" in text_of(app, "#ask-body")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: not screen.resumable)
        assert not screen.query_one("#resume-row").display
    assert sorted(received(sim)) == [f"1390013900{i}" for i in range(5)]  # each number once, none twice


async def test_an_abandoned_batch_sends_nothing_more(tmp_path):
    path = tmp_path / "four.csv"
    path.write_text("mobile,content\n" + "\n".join(f"1370013700{i},您好{SIGNED}" for i in range(4)) + "\n",
                    encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        sim = app.launcher.simulator
        service = app.service
        ctx = service.sender.ctx
        ctx.settings = replace(ctx.settings, batch_rows=2, concurrency=1)
        service.bus.subscribe(lambda e: service.cancel(e.send_id)
                              if isinstance(e, SendProgress) and e.chunks_done == 1 else None)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: bool(screen.resumable))
        await pilot.click("#abandon")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: not screen.resumable)
        assert await service.resume() == []  # `smstui resume` finds nothing to send either
    assert len(received(sim)) == 2


async def test_bad_files_are_told_by_file_and_line_and_the_open_batch_stays(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(f"mobile,content\n13900139000,您好，张先生{SIGNED}\n".encode()
                      + f"13700137000,您好，李女士{SIGNED}\n".encode("gbk"))
    one_column = tmp_path / "notes.txt"
    one_column.write_text("just some notes\nnothing like a table\n", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, good)
        doc = screen.doc
        doc.set_cell(0, 1, f"改过的内容{SIGNED}")  # an edit not saved yet
        for path, words in [(empty, "the file is empty"), (mixed, "line 3: mixed encodings: line 2 is UTF-8"),
                            (one_column, "line 1: not a table"), (tmp_path / "none.csv", "cannot read")]:
            await type_into(pilot, "#path", str(path))
            screen.query_one("#path").focus()
            await pilot.press("enter")
            if isinstance(app.screen, Ask):  # another file while the batch has edits: asked first
                await pilot.click("#yes")
            assert await wait_until(pilot, lambda: not screen.busy and bool(screen.error))
            assert str(path) in text_of(app, "#source") and words in text_of(app, "#source"), text_of(app, "#source")
            assert screen.doc is doc and doc.rows[0].message == f"改过的内容{SIGNED}"  # the edits are kept
            assert screen.query_one("#path", Input).value == str(path)  # what the user typed stays


async def test_a_file_changed_on_disk_is_said_and_the_edits_kept(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        screen.query_one("#template").focus()
        path.write_text(f"mobile,content\n13900139000,别的{SIGNED}\n13700137000,新的{SIGNED}\n", encoding="utf-8")
        screen.doc.set_cell(0, 1, f"我改的{SIGNED}")
        screen.changed()
        await settle(pilot)
        assert "list.csv changed on disk since it was opened: your edits are kept" in text_of(app, "#source")
        assert screen.doc.rows[0].message == f"我改的{SIGNED}"


async def test_the_encoding_can_be_chosen_and_a_wrong_one_is_named_by_line(tmp_path):
    path = write_gbk(tmp_path / "gbk.csv", ["mobile,content", f"13900139000,张先生您好{SIGNED}"])
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        doc = screen.doc
        assert "GB18030" in text_of(app, "#source")
        screen.query_one("#encoding", Select).value = "utf-8"
        assert await wait_until(pilot, lambda: not screen.busy and bool(screen.error))
        assert "line 2: this line is not UTF-8 (byte 0xD5)" in text_of(app, "#source")
        assert screen.doc is doc  # the batch read before stays
        screen.query_one("#encoding", Select).value = "gb18030"
        assert await wait_until(pilot, lambda: not screen.busy and not screen.error and screen.doc is not doc)
        assert screen.doc.rows[0].message == f"张先生您好{SIGNED}"


async def test_a_quote_left_open_is_named_by_line_and_no_row_is_lost(tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_text(f'mobile,content\n13900139000,"您好{SIGNED}\n13700137000,再见{SIGNED}\n13600136000,"多行\n'
                    f'的内容{SIGNED}"\n', encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        assert "line 2: a quote opens here and is not closed before line 3" in text_of(app, "#summary")
        assert [row.mobile for row in screen.doc.rows] == ["13700137000", "13600136000"]
        assert screen.doc.rows[1].message == f"多行\n的内容{SIGNED}"  # a quoted cell may hold a line break


async def test_another_profile_checks_the_rows_again_and_keeps_the_edits(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n13700137000,再见{SIGNED}\n", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        screen.doc.set_cell(0, 1, f"改过{SIGNED}")
        doc = screen.doc
        screen.reload()
        assert await wait_until(pilot, lambda: not screen.busy)
        assert screen.doc is doc and doc.rows[0].message == f"改过{SIGNED}" and doc.sendable == 2


async def test_a_send_that_reaches_phones_at_night_asks_first(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_batch(pilot, path)
        sim = app.launcher.simulator
        await type_into(pilot, "#schedule", "2026-03-01 23:30:00")
        assert "Reaches phones at night (Beijing)" in text_of(app, "#why")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        assert "between 22:00 and 08:00 Beijing time" in text_of(app, "#ask-body")
        await pilot.click("#no")
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen) and not batch_tasks(sim)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
    [task] = batch_tasks(sim)
    assert task.send_at.hour == 23


async def test_after_the_service_restarts_the_batch_left_part_way_is_offered_and_resumed_once(tmp_path):
    path = tmp_path / "five.csv"
    path.write_text("mobile,content\n" + "".join(f"1360013600{i},您好{SIGNED}\n" for i in range(5)), encoding="utf-8")
    app = demo_app(store_path=str(tmp_path / "journal.db"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        sim = app.launcher.simulator
        service = app.service
        service.sender.ctx.settings = replace(service.sender.ctx.settings, batch_rows=2, concurrency=1)
        service.bus.subscribe(lambda e: service.cancel(e.send_id)
                              if isinstance(e, SendProgress) and e.chunks_done == 1 else None)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        assert sorted(received(sim)) == ["13600136000", "13600136001"]
        # The service is closed and opened again on the same journal (as a new process would be): nothing of the
        # old one's memory is left; the journal alone says what is left to send.
        app.open_service()
        assert await wait_until(pilot, lambda: app.service is not service and bool(screen.resumable))
        assert "Resumable: 1 of 3 chunks done, 3 rows left" in text_of(app, "#resume-text")
        app.service.sender.ctx.settings = replace(app.service.sender.ctx.settings, batch_rows=2)
        await pilot.click("#resume")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        assert "5 of 5 accepted" in text_of(app, "#result")  # the whole send, its three requests
    assert sorted(received(sim)) == [f"1360013600{i}" for i in range(5)]  # every row once, none twice


async def test_the_edited_batch_is_saved_and_the_rejected_rows_exported_from_the_editor(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"mobile,content\n13900139000,您好{SIGNED}\n1234,您好{SIGNED}\n13700137000,再见{SIGNED}\n",
                    encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_batch(pilot, path)
        screen.rows_table.focus()
        await pilot.press("alt+n")
        await pilot.press("alt+d")  # the bad row, dropped
        await settle(pilot)
        await pilot.press("alt+j")
        assert await wait_until(pilot, lambda: isinstance(app.screen, WriteDialog))
        assert app.screen.query_one("#write-path", Input).value == str(tmp_path / "list-rejected.csv")
        await pilot.click("#ok")
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen))
        rejected = (tmp_path / "list-rejected.csv").read_text(encoding="utf-8-sig").splitlines()
        assert rejected == ["line,mobile,content,problem", "3,1234,您好【星辰科技】,dropped"]
        await pilot.press("alt+w")
        assert await wait_until(pilot, lambda: isinstance(app.screen, WriteDialog))
        await type_into(pilot, "#write-path", str(tmp_path / "list-edited.xlsx"))
        await pilot.click("#ok")
        assert await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen))
        assert not screen.doc.edited
    from smstui.service.batch_editor import BatchDoc

    saved = BatchDoc.open(tmp_path / "list-edited.xlsx")
    assert [row.mobile for row in saved.rows] == ["13900139000", "13700137000"] and saved.sendable == 2
