"""`smstui templates import|export`: a file's templates checked line by line, only the new ones submitted, and an
export that reads back as nothing new."""

from support.cli import smstui

NEW = "会员@，您的积分@已到账【星辰科技】"
BAD = "编号@@@@@@【星辰科技】"  # variables side by side: the rules refuse it


def on_gateway(gateway):
    return {t.text for t in gateway.world.templates["demo"].values()}


async def test_import_says_by_line_what_it_does_submits_only_the_new_and_an_export_reads_back(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, [added], _ = await smstui(gateway, db, "templates", "add", "您的验证码是@，@分钟内有效【星辰科技】")
    assert status == 0
    there = "您的验证码是@，@分钟内有效【星辰科技】"
    path = tmp_path / "mine.csv"
    path.write_text(f"模板内容\n{NEW}\n{there}\n{BAD}\n", encoding="utf-8")
    status, [dry], _ = await smstui(gateway, db, "templates", "import", str(path), "--dry-run")
    assert status == 2 and dry["dry_run"] and [(r["line"], r["text"]) for r in dry["new"]] == [(2, NEW)]
    assert dry["present"] == [{"line": 3, "template_id": added["template_id"]}]
    assert [r["line"] for r in dry["refused"]] == [4] and NEW not in on_gateway(gateway)  # nothing went
    status, [done], _ = await smstui(gateway, db, "templates", "import", str(path))
    assert status == 2 and not done["ok"] and [a["line"] for a in done["added"]] == [2]  # line 4 still refused
    assert NEW in on_gateway(gateway) and done["gateway_refused"] == []
    status, [again], _ = await smstui(gateway, db, "templates", "import", str(path))
    assert again["new"] == [] and len(again["present"]) == 2 and "added" not in again  # nothing submitted twice
    out = tmp_path / "out.xlsx"
    status, [exported], _ = await smstui(gateway, db, "templates", "export", str(out))
    assert status == 0 and exported["exported"] == len(on_gateway(gateway)) and out.stat().st_mode & 0o077 == 0
    status, [back], _ = await smstui(gateway, db, "templates", "import", str(out), "--dry-run")
    assert status == 0 and back["ok"] and back["new"] == [] and len(back["present"]) == exported["exported"]
    status, said, _ = await smstui(gateway, db, "templates", "import", str(path), "--language", "zh",
                                   json_output=False)
    assert "新模板 0 个 · 已有 2 个 · 不能导入 1 个" in said and "第 4 行" in said and "没有需要提交的新模板" in said


async def test_a_templates_file_that_cannot_be_read_is_named_and_nothing_is_submitted(gateway, tmp_path):
    db = tmp_path / "cli.db"
    before = on_gateway(gateway)
    status, [missing], _ = await smstui(gateway, db, "templates", "import", str(tmp_path / "nope.csv"))
    assert status == 2 and "nope.csv" in missing["message"] and "Traceback" not in missing["message"]
    (tmp_path / "empty.csv").write_bytes(b"")
    status, [empty], _ = await smstui(gateway, db, "templates", "import", str(tmp_path / "empty.csv"))
    assert status == 2 and "empty.csv" in empty["message"]
    status, _, said = await smstui(gateway, db, "templates", "import", str(tmp_path / "empty.csv"), "--language", "zh",
                                   json_output=False)
    assert status == 2 and said.strip() == f"smstui: {tmp_path / 'empty.csv'}：文件中没有模板"  # in Chinese, whole
    assert on_gateway(gateway) == before
