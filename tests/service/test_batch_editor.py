"""The batch editor's model: an edit re-checks only its row (and the rows of its number), yet after any run of edits,
drops, holds, additions, deletions and undos the batch is exactly what checking it all again finds."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smstui.service.batch_editor import DROPPED, HELD, KEPT, BatchDoc
from smstui.service.batch_records import BatchFileError

SIGNED = "【星辰科技】"
MOBILES = ["13900139000", "13700137000", "13600136000", "1390013900", "", "+86 139 0013 9000"]
TEXTS = [f"您好{SIGNED}", "", "没有签名", f"尊敬的{{姓名}}{SIGNED}", "字" * 460 + SIGNED, f"再见{SIGNED}"]


def fresh(doc: BatchDoc) -> BatchDoc:
    """The same cells and choices, checked from scratch."""
    again = BatchDoc(doc.table, doc.max_length, doc.require_signature, doc.mapping, doc.template, list(doc.rows))
    for row in again.rows:
        row.issues = ()
    again.check_all()
    return again


def picture(doc: BatchDoc):
    return ([(row.id, row.state, row.mobile, row.message, row.length, row.segments,
              tuple(sorted((i.kind, tuple(sorted(i.params.items()))) for i in row.issues))) for row in doc.rows],
            doc.sendable, doc.segments, doc.blocking, [(k.kind, k.count, k.first) for k in doc.summary()])


@pytest.fixture(scope="module")
def batch_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "batch.csv"
    path.write_text("mobile,content\n" + "".join(f"{m},{t}\n" for m, t in zip(
        ["13900139000", "13700137000", "13900139000", "1234", "13600136000"],
        [f"您好{SIGNED}", f"再见{SIGNED}", f"又一次{SIGNED}", f"无效{SIGNED}", ""], strict=True)), encoding="utf-8")
    return path


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 9), st.integers(0, 1), st.integers(0, 5)),
    st.tuples(st.just("state"), st.integers(0, 9), st.sampled_from([DROPPED, HELD, KEPT]), st.just(0)),
    st.tuples(st.just("add"), st.integers(-1, 9), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("delete"), st.integers(0, 9), st.just(0), st.just(0)),
    st.tuples(st.just("undo"), st.just(0), st.just(0), st.just(0)),
    st.tuples(st.just("drop_bad"), st.just(0), st.just(0), st.just(0)),
), max_size=25)


@settings(max_examples=300, deadline=None)
@given(operations=OPERATIONS)
def test_edits_leave_the_batch_as_a_full_check_finds_it(batch_file, operations):
    doc = BatchDoc.open(batch_file)
    for name, a, b, c in operations:
        count = len(doc.rows)
        if name == "cell" and count:
            doc.set_cell(a % count, b, MOBILES[c] if b == 0 else TEXTS[c])
        elif name == "state" and count:
            doc.set_state(a % count, b)
        elif name == "add":
            doc.add_row(min(a, count - 1), [MOBILES[b], TEXTS[c]])
        elif name == "delete" and count:
            doc.delete_row(a % count)
        elif name == "undo":
            doc.undo()
        elif name == "drop_bad":
            doc.drop_bad()
        assert picture(doc) == picture(fresh(doc))


def test_undo_takes_every_edit_back_to_the_file_as_read(batch_file):
    doc = BatchDoc.open(batch_file)
    before = picture(doc)
    doc.set_cell(3, 0, "13500135000")
    doc.set_state(2, DROPPED)
    doc.add_row(0, ["13400134000", f"新的{SIGNED}"])
    doc.delete_row(1)
    assert doc.drop_bad() == 1  # the empty message
    assert picture(doc) != before
    while doc.undo():
        pass
    assert picture(doc) == before and not doc.can_undo


def test_a_repeated_number_is_the_later_rows_problem_and_moves_when_the_first_is_dropped(batch_file):
    doc = BatchDoc.open(batch_file)
    assert [i.kind for i in doc.rows[2].issues] == ["mobile_repeated"] and not doc.rows[0].bad
    doc.set_state(0, DROPPED)
    assert not doc.rows[2].bad  # the first kept row with the number sends it now
    doc.set_state(0, DROPPED)  # the same choice again keeps it
    assert doc.rows[0].state == KEPT and doc.rows[2].bad


def test_rejected_rows_export_with_their_lines_and_the_edited_batch_saves(batch_file, tmp_path):
    doc = BatchDoc.open(batch_file)
    doc.set_state(1, HELD)
    assert doc.export_rejected(tmp_path / "rejected.csv") == 4
    text = (tmp_path / "rejected.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "line,mobile,content,problem"
    assert "3,13700137000,再见【星辰科技】,held" in text and "4,13900139000" in text and "is already on line 2" in text
    doc.set_cell(3, 0, "13500135000")
    doc.set_state(2, DROPPED)
    for name in ("edited.csv", "edited.xlsx"):
        assert doc.save(tmp_path / name) == 4  # the dropped row is left out
        again = BatchDoc.open(tmp_path / name)
        assert [row.mobile for row in again.rows] == ["13900139000", "13700137000", "13500135000", "13600136000"]
    for name in ("rejected.csv", "edited.csv", "edited.xlsx"):  # customers' numbers: owner-only, written whole
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.part"))


def test_rejected_rows_are_exported_with_formula_looking_cells_defused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("mobile,content\n13900139000,=HYPERLINK(\"http://x\")\n", encoding="utf-8")
    doc = BatchDoc.open(path)
    assert doc.rows[0].bad  # no signature
    assert doc.export_rejected(tmp_path / "rejected.csv") == 1
    assert "'=HYPERLINK" in (tmp_path / "rejected.csv").read_text(encoding="utf-8-sig")


def test_a_merge_template_fills_rows_and_names_what_it_cannot(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("电话,姓名,订单号\n13900139000,张先生,8812\n13700137000,,8813\n", encoding="utf-8")
    doc = BatchDoc.open(path, options=("电话=mobile",), template="尊敬的{姓名}，订单 {订单号} 已发货" + SIGNED)
    assert doc.rows[0].message == "尊敬的张先生，订单 8812 已发货" + SIGNED
    assert [i.kind for i in doc.rows[1].issues] == ["placeholder_empty"]
    doc.set_cell(1, 1, "李女士")
    assert doc.rows[1].message == "尊敬的李女士，订单 8813 已发货" + SIGNED and doc.sendable == 2
    doc.remap(doc.mapping, "尊敬的{名字}" + SIGNED)
    assert [x.kind for x in doc.template.problems] == ["placeholder_unknown"] and doc.sendable == 0


@pytest.mark.parametrize(("content", "words"), [
    (b"", "the file is empty (0 bytes)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a table"),
    (b"mobile,content\n", "a header (mobile, content) and no rows"),
    ("说明\n这不是表格\n".encode(), "line 1: not a table"),
])
def test_files_that_are_no_batch_are_named_with_their_line(tmp_path, content, words):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(BatchFileError) as caught:
        BatchDoc.open(path)
    assert str(caught.value).startswith(str(path)) and words in str(caught.value)
