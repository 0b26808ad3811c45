"""The batch-file reader over arbitrary bytes and generated workbooks: a typed result or a typed error, nothing else."""

from __future__ import annotations

import csv
import io
import sys

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smstui.protocol import BatchRow, normalise_newlines
from smstui.service.batchfile import BatchFile, BatchFileError, read_batch_file

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces a hand-made or broken CSV is made of: numbers, delimiters, quotes, every kind of line end, BOMs, NUL.
PIECES = st.sampled_from([
    "13900139000", "+86 137 0013 7000", "1234", "mobile", "content", "手机号码", "短信内容", ",", ";", "\t", '"', '""',
    "\r\n", "\n", "\r", "\x00", "\x1b", "\ufeff", "你好", "【星辰科技】", " ", "a", "\u2028", "𠀀", "x" * 300,
])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "big5"])


def outcome(path) -> BatchFile | BatchFileError:
    """What the reader gives, checked: every finding and every error names its place."""
    try:
        batch = read_batch_file(path)
    except BatchFileError as exc:
        assert exc.message.startswith(str(path)) and exc.exit_status == 2
        assert exc.line is None or exc.line >= 1
        return exc
    assert batch.rows or batch.findings
    assert len(batch.rows) == len(batch.lines) and list(batch.lines) == sorted(batch.lines)
    for finding in batch.findings:
        assert finding.line >= 1 and finding.message.startswith(f"line {finding.line}: ")
    assert [f.line for f in batch.findings] == sorted(f.line for f in batch.findings)
    assert len({row.mobile for row in batch.rows}) == len(batch.rows)
    return batch


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_arbitrary_bytes_give_a_result_or_a_batch_file_error(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    outcome(path)


@FUZZ
@given(pieces=st.lists(PIECES, max_size=40), encoding=ENCODINGS)
def test_csv_made_of_awkward_pieces_gives_a_result_or_a_batch_file_error(tmp_path, pieces, encoding):
    path = tmp_path / "pieces.csv"
    path.write_bytes("".join(pieces).encode(encoding, "replace"))
    outcome(path)


@FUZZ
@given(data=st.binary(min_size=1, max_size=300), at=st.integers(min_value=0))
def test_a_valid_file_with_bytes_spliced_in_gives_a_result_or_an_error(tmp_path, data, at):
    good = "mobile,content\r\n13900139000,你好【星辰科技】\r\n13700137000,\"多行\r\n内容\"\r\n".encode("gbk")
    at %= len(good)
    path = tmp_path / "spliced.csv"
    path.write_bytes(good[:at] + data + good[at:])
    outcome(path)


# Contents without digits cannot hold a line that looks like a row: any quoting of them must read back exactly.
CONTENT = st.text(st.sampled_from(list('你好，。！【】"\',;\t \r\n\u2028abcXYZ-_=+𠀀')), min_size=1, max_size=30)


@FUZZ
@given(contents=st.lists(CONTENT.filter(str.strip), min_size=1, max_size=8), delimiter=st.sampled_from(",;\t"),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_rows_written_by_a_csv_writer_read_back_exactly(tmp_path, contents, delimiter, encoding, quoting):
    rows = [(f"139{n:08d}", content) for n, content in enumerate(contents)]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting)
    writer.writerow(["mobile", "content"])
    writer.writerows(rows)
    path = tmp_path / "written.csv"
    path.write_bytes(text.getvalue().encode(encoding))
    batch = outcome(path)
    assert isinstance(batch, BatchFile) and batch.findings == ()
    assert batch.rows == tuple(BatchRow(mobile, normalise_newlines(content)) for mobile, content in rows)


@FUZZ
@given(contents=st.lists(st.text(st.sampled_from('1390,"\n\r好'), min_size=1, max_size=40), min_size=1, max_size=6))
def test_rows_that_hold_numbers_are_read_back_exactly_or_refused(tmp_path, contents):
    """Digits in a message may look like a row inside a quoted cell: then a finding, never a different row."""
    rows = [(f"137{n:08d}", content) for n, content in enumerate(contents)]
    text = io.StringIO()
    csv.writer(text).writerows([("mobile", "content"), *rows])
    path = tmp_path / "numbers.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    batch = outcome(path)
    expected = [BatchRow(mobile, normalise_newlines(content)) for mobile, content in rows if content.strip()]
    if isinstance(batch, BatchFile) and not batch.findings:
        assert list(batch.rows) == expected


CELL = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                 st.booleans(), st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20),
                 st.sampled_from([13900139000, 13900139000.0, "13700137000", "+86 136 0013 6000", "手机号码", "内容"]))


def read_with(path, library: str) -> BatchFile | BatchFileError:
    with pytest.MonkeyPatch.context() as patched:
        if library == "openpyxl":
            patched.setitem(sys.modules, "python_calamine", None)
        return outcome(path)


@FEW
@given(rows=st.lists(st.lists(CELL, max_size=4), max_size=8))
def test_any_workbook_reads_the_same_with_either_library(tmp_path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "generated.xlsx"
    book.save(path)
    calamine, fallback = read_with(path, "calamine"), read_with(path, "openpyxl")
    if isinstance(calamine, BatchFile):
        assert isinstance(fallback, BatchFile) and calamine.source.reader == "calamine"
        assert (calamine.rows, calamine.lines, calamine.findings) == (fallback.rows, fallback.lines, fallback.findings)
    else:
        assert isinstance(fallback, BatchFileError) and calamine.message == fallback.message


@pytest.fixture(scope="module")
def good_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["手机号码", "短信内容"])
    for n in range(20):
        book.active.append([13900000000 + n, f"第{n}条【星辰科技】"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=12),
       cut=st.one_of(st.none(), st.integers(min_value=4)))
def test_a_damaged_workbook_gives_a_result_or_a_batch_file_error(tmp_path, good_workbook, flips, cut):
    data = bytearray(good_workbook)
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    assume(data.startswith(b"PK\x03\x04"))
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    outcome(path)
