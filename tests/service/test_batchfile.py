"""The batch-file reader: every row read whole or refused by its line, the encoding named, nothing merged or lost."""

from __future__ import annotations

import codecs
import datetime as dt
import sys

import openpyxl
import pytest

from smstui.protocol import BatchRow
from smstui.service import InvalidInput
from smstui.service.batchfile import BatchFileError, read_batch_file

SIG = "【星辰科技】"


def write(tmp_path, data: bytes | str, name: str = "batch.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def kinds(batch):
    return [(finding.line, finding.kind) for finding in batch.findings]


def refusal(path) -> BatchFileError:
    with pytest.raises(BatchFileError) as caught:
        read_batch_file(path)
    assert isinstance(caught.value, InvalidInput) and caught.value.exit_status == 2
    assert str(path) in caught.value.message
    return caught.value


def workbook(tmp_path, rows, name="batch.xlsx", title="名单", hidden_first=False):
    book = openpyxl.Workbook()
    sheet = book.active
    if hidden_first:
        sheet.title = "说明"
        sheet.append(["这一页是说明"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet(title)
        book.active = 1
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture(params=["calamine", "openpyxl"])
def xlsx_reader(request, monkeypatch):
    """Each workbook test once with python-calamine and once with openpyxl (python-calamine made unimportable)."""
    if request.param == "openpyxl":
        monkeypatch.setitem(sys.modules, "python_calamine", None)
    return request.param


# --- what worked before keeps working ---------------------------------------------------------------------------------

def test_gbk_with_chinese_headers(tmp_path):
    path = write(tmp_path, f"手机号码,短信内容\n13900139000,张三您好{SIG}\n13700137000,李四您好{SIG}\n", encoding="gbk")
    batch = read_batch_file(path)
    assert batch.rows == (BatchRow("13900139000", f"张三您好{SIG}"), BatchRow("13700137000", f"李四您好{SIG}"))
    assert batch.lines == (2, 3) and batch.findings == () and batch.header == ("手机号码", "短信内容")
    assert (batch.source.format, batch.source.encoding, batch.source.guessed) == ("csv", "gb18030", False)
    assert batch.encoding == "gb18030" and batch.source.describe() == "CSV, GB18030, comma-separated"


@pytest.mark.parametrize("text", [
    "您好", "验证码1234", "张伟，您的订单已发货", "尊敬的客户您好，本月账单已出，请及时缴费。回T退订", "王芳", "明天见",
    "您的快递已到达小区门口菜鸟驿站，取件码8-2-1003", "会员积分即将到期", "李娜生日快乐",
])
def test_typical_gbk_rows_are_never_taken_for_another_encoding(tmp_path, text):
    batch = read_batch_file(write(tmp_path, f"13900139000,{text}{SIG}\n", encoding="gbk"))
    assert batch.rows == (BatchRow("13900139000", text + SIG),)
    assert (batch.source.encoding, batch.source.guessed) == ("gb18030", False)


def test_gb18030_with_supplementary_characters_and_utf8_with_bom(tmp_path):
    text = f"mobile,content\n13900139000,𠀀𪚥您好{SIG}\n"
    assert read_batch_file(write(tmp_path, text, encoding="gb18030")).rows[0].content == f"𠀀𪚥您好{SIG}"
    batch = read_batch_file(write(tmp_path, text, encoding="utf-8-sig"))
    assert batch.header == ("mobile", "content") and batch.rows[0].content == f"𠀀𪚥您好{SIG}"
    assert batch.source.encoding == "utf-8-sig" and batch.source.encoding_name == "UTF-8 (BOM)"


def test_no_header_and_other_delimiters(tmp_path):
    batch = read_batch_file(write(tmp_path, f"13900139000,你好{SIG}\n+86 137 0013 7000,再见{SIG}\n"))
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"), BatchRow("13700137000", f"再见{SIG}"))
    assert batch.header == () and batch.lines == (1, 2)
    batch = read_batch_file(write(tmp_path, f"手机;内容\n13900139000;你好,明天见{SIG}\n"))
    assert batch.rows == (BatchRow("13900139000", f"你好,明天见{SIG}"),) and batch.source.delimiter == ";"
    # No header, a tab between number and message and commas in the message: the tab is the delimiter.
    batch = read_batch_file(write(tmp_path, f"13900139000\t你好,明天,见{SIG}\n"))
    assert batch.rows == (BatchRow("13900139000", f"你好,明天,见{SIG}"),) and batch.source.delimiter == "\t"


def test_quoted_cells_arrive_whole_and_line_breaks_in_them_stay(tmp_path):
    text = f'mobile,content\r\n13900139000,"他说""你好""，明天, 见{SIG}"\r\n13700137000,"第一行\r\n第二行{SIG}"\r\n'
    text += f"13600136000,最后{SIG}\r\n"
    batch = read_batch_file(write(tmp_path, text))
    assert batch.rows == (
        BatchRow("13900139000", f'他说"你好"，明天, 见{SIG}'),
        BatchRow("13700137000", f"第一行\n第二行{SIG}"),
        BatchRow("13600136000", f"最后{SIG}"),
    )
    assert batch.lines == (2, 3, 5) and batch.findings == ()


def test_every_bad_number_is_named_by_its_line(tmp_path):
    text = f"mobile,content\n13900139000,a{SIG}\n1234,b{SIG}\n\n13900139000,c\n,d\n1390013900a,e\n"
    batch = read_batch_file(write(tmp_path, text))
    assert batch.rows == (BatchRow("13900139000", f"a{SIG}"),)
    assert batch.problems[0].startswith("line 3: 1234 has 4 digits")
    assert batch.problems[1] == "line 5: 13900139000 is already on line 2"
    assert batch.problems[2] == "line 6: (empty) has no number"
    assert batch.problems[3] == "line 7: 1390013900a contains characters other than digits"


def test_lone_carriage_returns_end_lines(tmp_path):
    batch = read_batch_file(write(tmp_path, f"mobile,content\r13900139000,你好{SIG}\r1234,x\r"))
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),) and kinds(batch) == [(3, "mobile_invalid")]


def test_missing_file_directory_and_empty_file_are_named(tmp_path):
    assert "No such file" in refusal(tmp_path / "missing.csv").message
    assert "directory" in refusal(tmp_path).message
    assert "null" in refusal(tmp_path / "bad\x00name.csv").message
    assert refusal(write(tmp_path, "\r\n \n")).message == f"{tmp_path / 'batch.csv'}: the file is empty"
    assert refusal(write(tmp_path, b"")).kind == "batch_empty"


def test_binary_files_are_refused_with_the_file_and_line(tmp_path):
    error = refusal(write(tmp_path, b"mobile,content\n13900139000,\x81\x20\xff\xfe\x80\n"))
    assert error.line == 2 and "line 2" in error.message and "not UTF-8, UTF-16 or GB18030" in error.message
    assert "not a readable .xlsx workbook" in refusal(write(tmp_path, b"PK\x03\x04" + bytes(200), "b.csv")).message
    assert "not a readable .xlsx workbook" in refusal(write(tmp_path, b"PK\x03\x04garbage", "b.xlsx")).message


def test_an_xlsx_that_is_really_csv_is_read_as_csv(tmp_path):
    batch = read_batch_file(write(tmp_path, f"mobile,content\n13900139000,你好{SIG}\n", "batch.xlsx"))
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),) and batch.source.format == "csv"


# --- D7: nothing merged ---------------------------------------------------------------------------------------------

def test_an_unclosed_quote_never_merges_the_next_row(tmp_path):
    text = f'mobile,content\r\n13600000001,"unterminated{SIG}\r\n13600000002,x{SIG}\r\n13600000003,y{SIG}\r\n'
    batch = read_batch_file(write(tmp_path, text))
    assert kinds(batch) == [(2, "quote_runs_over")]
    assert "line 3" in batch.problems[0] and batch.findings[0].params["swallowed"] == 3
    assert batch.rows == (BatchRow("13600000002", f"x{SIG}"), BatchRow("13600000003", f"y{SIG}"))
    assert batch.lines == (3, 4)


def test_an_unclosed_quote_at_the_end_and_text_after_a_closing_quote_are_refused(tmp_path):
    batch = read_batch_file(write(tmp_path, f'13600000001,ok{SIG}\n13600000002,"never closed\n{SIG} still\n'))
    assert kinds(batch) == [(2, "quote_unclosed")] and batch.rows == (BatchRow("13600000001", f"ok{SIG}"),)
    batch = read_batch_file(write(tmp_path, f'13600000001,"优惠"今天开始{SIG}\n13600000002,ok{SIG}\n'))
    assert kinds(batch) == [(1, "quote_stray")] and batch.rows == (BatchRow("13600000002", f"ok{SIG}"),)


def test_an_over_long_cell_is_named_by_its_line(tmp_path):
    text = "mobile,content\n13600000001," + "好" * 200_000 + f"{SIG}\n13600000002,ok{SIG}\n"
    batch = read_batch_file(write(tmp_path, text))
    assert kinds(batch) == [(2, "cell_too_long")] and "131,072 characters" in batch.problems[0]
    assert batch.rows == (BatchRow("13600000002", f"ok{SIG}"),)
    # An unclosed quote with a long tail: the row it swallowed is named, not just the length.
    text = 'mobile,content\n13600000001,"x\n' + ("好" * 100 + "\n") * 2_000 + f"13600000002,ok{SIG}\n"
    assert kinds(read_batch_file(write(tmp_path, text)))[0] == (2, "cell_too_long")
    text = 'mobile,content\n13600000001,"x\n13600000002,y\n' + "好" * 200_000 + "\n"
    batch = read_batch_file(write(tmp_path, text))
    assert kinds(batch)[0] == (2, "quote_runs_over") and batch.findings[0].params["swallowed"] == 3


def test_a_delimiter_in_an_unquoted_message_is_refused_not_cut(tmp_path):
    batch = read_batch_file(write(tmp_path, f"13900139000,你好,明天见{SIG}\n13700137000,好{SIG},,\n"))
    assert kinds(batch) == [(1, "cells_extra")] and batch.rows == (BatchRow("13700137000", f"好{SIG}"),)
    batch = read_batch_file(write(tmp_path, f"姓名,手机号码,短信内容\n张三,13900139000,你好{SIG}\n"))
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),) and batch.columns == (1, 2)


# --- D7: control characters ------------------------------------------------------------------------------------------

def test_control_characters_in_content_are_refused_with_their_position(tmp_path):
    text = f"mobile,content\n13600000001,你好\x00世界{SIG}\n13600000002,a\x01b\x7fc{SIG}\n"
    batch = read_batch_file(write(tmp_path, text))
    assert batch.rows == () and kinds(batch) == [(2, "content_control_characters"), (3, "content_control_characters")]
    assert "U+0000 (NUL) at character 3" in batch.problems[0]
    assert batch.findings[1].params["positions"] == [2, 4] and batch.findings[1].column == "content"
    assert "\x00" not in batch.problems[0]


def test_a_control_character_in_a_number_is_shown_not_printed(tmp_path):
    batch = read_batch_file(write(tmp_path, f"1390013\x009000,你好{SIG}\n"))
    assert kinds(batch) == [(1, "mobile_invalid")] and "1390013\\x009000" in batch.problems[0]
    assert "\x00" not in batch.problems[0]


# --- D7: encodings ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_a_bom_is_read(tmp_path, codec, bom):
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated."""
    text = f"手机号码\t短信内容\r\n13900139000\t你好，明天见{SIG}\r\n13700137000\t再见{SIG}\r\n"
    batch = read_batch_file(write(tmp_path, bom + text.encode(codec)))
    assert batch.rows == (BatchRow("13900139000", f"你好，明天见{SIG}"), BatchRow("13700137000", f"再见{SIG}"))
    assert batch.source.encoding == "utf-16" and batch.source.delimiter == "\t" and not batch.source.guessed


def test_utf16_without_a_bom_is_read_as_a_guess(tmp_path):
    batch = read_batch_file(write(tmp_path, f"mobile,content\r\n13900139000,你好{SIG}\r\n".encode("utf-16-le")))
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),)
    assert (batch.source.encoding, batch.source.guessed) == ("utf-16-le", True)


def test_broken_utf16_names_its_line(tmp_path):
    data = codecs.BOM_UTF16_LE + "mobile,content\r\n13900139000,".encode("utf-16-le") + b"\x00\xd8x"
    error = refusal(write(tmp_path, data))
    assert error.line == 2 and "UTF-16" in error.message


def test_a_utf8_bom_before_gbk_text_names_the_line(tmp_path):
    error = refusal(write(tmp_path, codecs.BOM_UTF8 + "mobile,content\n13900139000,你好\n".encode("gbk")))
    assert error.line == 2 and "UTF-8" in error.message


def test_big5_is_not_read_as_gb18030(tmp_path):
    text = f"手機號碼,簡訊內容\n13900139000,張三您好，您的訂單已經出貨，請注意查收{SIG}\n13700137000,謝謝惠顧{SIG}\n"
    batch = read_batch_file(write(tmp_path, text, encoding="big5"))
    assert batch.source.encoding in ("big5", "cp950") and batch.source.guessed
    assert batch.rows == (BatchRow("13900139000", f"張三您好，您的訂單已經出貨，請注意查收{SIG}"),
                          BatchRow("13700137000", f"謝謝惠顧{SIG}"))
    assert "Big5" in batch.source.describe() and "check the text" in batch.source.describe()


def test_shift_jis_is_not_read_as_gb18030(tmp_path):
    text = f"mobile,content\n13900139000,こんにちは、ご注文の商品を発送しました{SIG}\n"
    batch = read_batch_file(write(tmp_path, text, encoding="cp932"))
    assert batch.source.encoding in ("cp932", "shift_jis") and batch.source.guessed
    assert batch.rows[0].content == f"こんにちは、ご注文の商品を発送しました{SIG}"


def test_without_the_detector_a_doubtful_gb18030_reading_is_still_flagged(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)
    text = f"13900139000,張三您好，您的訂單已經出貨，請注意查收{SIG}\n"
    batch = read_batch_file(write(tmp_path, text, encoding="big5"))
    assert (batch.source.encoding, batch.source.guessed) == ("gb18030", True)
    batch = read_batch_file(write(tmp_path, f"13900139000,您好{SIG}\n", encoding="gbk"))
    assert (batch.source.encoding, batch.source.guessed) == ("gb18030", False)


# --- D7: headers ------------------------------------------------------------------------------------------------------

def test_an_unrecognised_header_is_named_as_a_header(tmp_path):
    batch = read_batch_file(write(tmp_path, f"客户电话,备注\n13900139000,你好{SIG}\n"))
    assert kinds(batch) == [(1, "header_unknown")]
    assert "the header (客户电话, 备注)" in batch.problems[0] and "digits" not in batch.problems[0]
    batch = read_batch_file(write(tmp_path, f"Phone No.,Message\n13900139000,你好{SIG}\n"))
    assert batch.findings == () and batch.rows == (BatchRow("13900139000", f"你好{SIG}"),)


def test_a_header_with_one_known_column_names_the_missing_one(tmp_path):
    batch = read_batch_file(write(tmp_path, f"mobile,备注\n13900139000,你好{SIG}\n"))
    assert kinds(batch) == [(1, "header_incomplete")] and "no content column" in batch.problems[0]
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),)


def test_a_header_only_file_names_the_file(tmp_path):
    path = write(tmp_path, "手机号码,短信内容\r\n\r\n")
    error = refusal(path)
    assert error.message == f"{path}: the file has a header (手机号码, 短信内容) and no rows"


# --- XLSX ------------------------------------------------------------------------------------------------------------

def test_xlsx_numbers_are_normalised_and_lines_are_sheet_rows(tmp_path, xlsx_reader):
    path = workbook(tmp_path, [
        ["手机号码", "短信内容"], [13900139000, f"你好{SIG}"], [13700137000.0, 1.5], [None, None],
        ["1360013600", dt.datetime(2026, 5, 1)], ["+86 135 0013 5000", f"第一行\n第二行{SIG}"],
    ])
    batch = read_batch_file(path)
    assert batch.source.format == "xlsx" and batch.source.reader == xlsx_reader and batch.source.sheet == "名单"
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"), BatchRow("13700137000", "1.5"),
                          BatchRow("13500135000", f"第一行\n第二行{SIG}"))
    assert batch.lines == (2, 3, 6) and kinds(batch) == [(5, "mobile_invalid")]
    assert batch.problems[0].startswith("line 5: 1360013600 has 10 digits")


def test_xlsx_reads_the_first_visible_sheet_at_its_true_rows(tmp_path, xlsx_reader):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "说明"
    sheet["A1"] = "说明文字"
    sheet.sheet_state = "hidden"
    data = book.create_sheet("名单")
    data["B3"], data["C3"], data["B4"], data["C4"], data["C6"] = "mobile", "content", 13900139000, f"你好{SIG}", "x"
    book.active = 1
    book.save(tmp_path / "offset.xlsx")
    batch = read_batch_file(tmp_path / "offset.xlsx")
    assert batch.source.sheet == "名单" and batch.source.sheets == 2
    assert batch.rows == (BatchRow("13900139000", f"你好{SIG}"),) and batch.lines == (4,)
    assert kinds(batch) == [(6, "mobile_invalid")]
    assert batch.source.describe() == "XLSX, sheet 名单 (the workbook has 2)"


def test_xlsx_header_only_control_characters_and_no_header(tmp_path, xlsx_reader):
    assert "no rows" in refusal(workbook(tmp_path, [["mobile", "content"]])).message
    batch = read_batch_file(workbook(tmp_path, [[13900139000, "a\x7fb" + SIG], [13700137000, "ok" + SIG]]))
    assert kinds(batch) == [(1, "content_control_characters")] and batch.rows == (BatchRow("13700137000", "ok" + SIG),)


def test_a_truncated_or_password_protected_workbook_is_refused(tmp_path, xlsx_reader):
    good = workbook(tmp_path, [["mobile", "content"], [13900139000, "x"]]).read_bytes()
    assert "not a readable .xlsx workbook" in refusal(write(tmp_path, good[: len(good) // 2], "cut.xlsx")).message
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    said = refusal(write(tmp_path, ole, "old.xls"))  # openpyxl cannot read .xls; calamine can, but not this one
    assert said.kind == ("batch_xls" if xlsx_reader == "openpyxl" else "batch_workbook")


@pytest.mark.parametrize(("data", "name", "options", "chinese"), [
    (b"", "a.csv", {}, "{path}：文件是空的"),
    (b"mobile,content\n", "a.csv", {}, "{path}：文件有表头（mobile, content）但没有数据行"),
    (b"mobile,content\n13900139000,\x81\x20\xff\xfe\x80\n", "a.csv", {},
     "{path} 第 2 行：不是 UTF-8、UTF-16 或 GB18030（GBK）文本，字节 0x81 无法读取；请将文件另存为 CSV UTF-8"),
    ("mobile,content\n13900139000,您好\n".encode(), "a.csv", {"encoding": "big5"},
     "{path} 第 2 行：这一行不是 BIG5（字节 0xE6）：请选择其他编码，或让 smstui 自动识别"),
    (b"mobile,content\n", "a.csv", {"encoding": "klingon"}, "{path}：smstui 不认识编码 klingon"),
    (b"13900139000\n", "a.csv", {},
     "{path} 第 1 行：不是表格——这一行只有一个单元格，没有分隔符（逗号、制表符、分号）；"
     "批量发送每行需要号码和短信内容"),
    (b"PK\x03\x04" + bytes(100), "cut.xlsx", {}, "{path}：不是可读取的 .xlsx 工作簿（…"),  # the reader's why
])
def test_a_file_that_cannot_be_read_is_said_whole_in_chinese_with_its_file_and_line(tmp_path, data, name, options,
                                                                                     chinese):
    from smstui.cli.strings import Strings as CliStrings
    from smstui.service.batch_table import read_table
    from smstui.tui.strings import Strings as TuiStrings
    from smstui.words import error_text

    path = write(tmp_path, data, name)
    with pytest.raises(BatchFileError) as caught:
        read_table(path, **options)
    expected = chinese.format(path=path).removesuffix("…")
    for strings in (CliStrings, TuiStrings):  # the words are shared: the CLI and the TUI say the same
        said = error_text(strings("zh"), caught.value)
        assert said == expected or (chinese.endswith("…") and said.startswith(expected))
        assert error_text(strings("en"), caught.value) == caught.value.message  # English: the reader's own words
