"""`smstui reports` and `smstui inbox` as a support desk from the shell: the filter grammar, why they failed, the
figures per day, and exports of exactly the filtered set (CSV with a BOM, formulas defused; XLSX)."""

import csv

import openpyxl
import pytest
from support.cli import smstui

SIGNED = "活动通知【星辰科技】"
NUMBERS = ["13900139000", "13700137000", "13600136000", "13500135000", "13300133000", "13100131000"]


async def sent_and_reported(gateway, db):
    """Six numbers sent to, their reports due (some delivered, some failed with MK:0001)."""
    status, [sent], err = await smstui(gateway, db, "send", "--to", ",".join(NUMBERS), "--content", SIGNED)
    assert status == 0 and sent["success_count"] == 6, err
    gateway.advance(5)


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=0.5, failure_codes=["MK:0001"])
async def test_reports_filtered_and_exported_to_csv_with_a_bom(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await sent_and_reported(gateway, db)
    status, [everything], err = await smstui(gateway, db, "reports")
    assert status == 0, err
    assert {r["mobile"] for r in everything["reports"]} == set(NUMBERS)
    failed = {r["mobile"] for r in everything["reports"] if r["status"] == 20}
    assert failed and failed != set(NUMBERS)  # seeded: some of each
    status, [only], _ = await smstui(gateway, db, "reports", "--filter", "status:failed code:MK:*")
    assert status == 0 and {r["mobile"] for r in only["reports"]} == failed
    status, [one], _ = await smstui(gateway, db, "reports", "--filter", "num:1390")
    assert [r["mobile"] for r in one["reports"]] == ["13900139000"]

    target = tmp_path / "failed.csv"
    status, [done], err = await smstui(gateway, db, "reports", "--filter", "status:failed", "--csv", str(target))
    assert status == 0 and done["exported"] == len(failed), err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    [header, *rows] = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert header == ["task", "mobile", "status", "time", "code", "meaning", "extno", "received"]
    assert {row[1] for row in rows} == failed and {row[4] for row in rows} == {"MK:0001"}
    assert {row[5] for row in rows} == {"empty number (空号)"}


@pytest.mark.gateway(report_delay=[1, 1], delivered_ratio=0.5, failure_codes=["MK:0001"])
async def test_why_it_failed_and_the_figures_per_day(gateway, tmp_path):
    db = tmp_path / "cli.db"
    await sent_and_reported(gateway, db)
    status, [why], err = await smstui(gateway, db, "reports", "--why")
    assert status == 0, err
    buckets = {b["bucket"]: b["count"] for b in why["buckets"]}
    assert set(buckets) == {"delivered", "empty"} and sum(buckets.values()) == 6
    [empty] = [b for b in why["buckets"] if b["bucket"] == "empty"]
    assert empty["codes"] == [{"code": "MK:0001", "count": buckets["empty"], "meaning": "empty number (空号)"}]
    status, [stats], _ = await smstui(gateway, db, "reports", "--stats", "day")
    assert status == 0
    [day] = stats["figures"]
    assert (day["sent"], day["delivered"], day["failed"], day["no_report"]) == (6, buckets["delivered"],
                                                                               buckets["empty"], 0)
    assert len(day["period"]) == 10  # a day (the CLI's clock is the real one)
    status, text, _ = await smstui(gateway, db, "reports", "--why", json_output=False)
    assert status == 0 and "empty number" in text and "MK:0001" in text


async def test_inbox_exports_replies_with_formulas_defused_and_to_xlsx(gateway, tmp_path):
    db = tmp_path / "cli.db"
    gateway.inject_uplink("demo", "13900139000", "=cmd|' /C calc'!A0")
    gateway.inject_uplink("demo", "13700137000", "好的，收到")
    target = tmp_path / "replies.csv"
    status, [done], err = await smstui(gateway, db, "inbox", "--csv", str(target))
    assert status == 0 and done["exported"] == 2, err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = {row[0]: row[1] for row in csv.reader(data.decode("utf-8-sig").splitlines()[1:])}
    assert rows == {"13900139000": "'=cmd|' /C calc'!A0", "13700137000": "好的，收到"}

    book = tmp_path / "replies.xlsx"
    status, [done], _ = await smstui(gateway, db, "inbox", "--filter", "num:139", "--xlsx", str(book))
    assert status == 0 and done["exported"] == 1
    sheet = openpyxl.load_workbook(book).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["mobile", "content"] and values[1][:2] == ["13900139000", "'=cmd|' /C calc'!A0"]


async def test_a_filter_that_cannot_be_read_names_its_token(gateway, tmp_path):
    db = tmp_path / "cli.db"
    status, _, err = await smstui(gateway, db, "reports", "--filter", "status:maybe", json_output=False)
    assert status == 2 and "status:maybe" in err and "Traceback" not in err
    status, _, err = await smstui(gateway, db, "reports", "--filter", "date:someday", "--csv",
                                  str(tmp_path / "x.csv"), json_output=False)
    assert status == 2 and "date:someday" in err and not (tmp_path / "x.csv").exists()
    status, _, err = await smstui(gateway, db, "reports", "--filter", "status:failed", "--csv",
                                  str(tmp_path / "no" / "such" / "dir" / "x.csv"), json_output=False)
    assert status != 0 and "x.csv" in err and "Traceback" not in err
