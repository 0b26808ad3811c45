"""Mobile numbers and extno as people type and paste them: ASCII digits only on the wire, every fault placed."""

import pytest

import smstui.protocol as p


@pytest.mark.parametrize("text", ["13８００１３８０００", "１３８００１３８０００", "١٣٨٠٠١٣٨٠٠٠", "13800138000\n"])
def test_is_mobile_takes_ascii_digits_only(text):
    assert not p.is_mobile(text)


def test_full_width_digits_and_plus_are_read_as_ascii():
    assert p.normalise_mobile("13８００１３８０００") == "13800138000"
    assert p.normalise_mobile("＋８６ １３９ ００１３ ９０００") == "13900139000"
    result = p.parse_mobiles("１３８００１３８０００，13900139000")
    assert result.ok and result.numbers == ["13800138000", "13900139000"]
    assert p.parse_mobiles("13800138000,13８００１３８０００").duplicates[0].message == (
        "entry 2: 13800138000 was already given at entry 1")


def test_other_scripts_digits_are_refused_with_a_reason():
    result = p.parse_mobiles("١٣٨٠٠١٣٨٠٠٠")
    assert [entry.message for entry in result.invalid] == ["entry 1: ١٣٨٠٠١٣٨٠٠٠ contains characters other than digits"]


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200e", "\u2060", "\u00ad"])
def test_invisible_format_characters_in_pasted_numbers_are_dropped(invisible):
    assert p.normalise_mobile(f"{invisible}138{invisible}0013 8000{invisible}") == "13800138000"
    result = p.parse_mobiles(f"{invisible}13800138000,{invisible}, 13900139000{invisible}")
    assert result.ok and result.numbers == ["13800138000", "13900139000"]
    assert result.invalid == []  # an entry of nothing but an invisible character is an empty entry


def test_space_separated_numbers_in_one_entry_are_entries_of_their_own():
    result = p.parse_mobiles("13800138000 13800138000")
    assert [d.message for d in result.duplicates] == ["entry 2: 13800138000 was already given at entry 1"]
    result = p.parse_mobiles("13900139000,13800138000 13700137000 abc,13700137000,13600136000 13900139000")
    assert [e.message for e in result.invalid] == ["entry 4: abc contains characters other than digits"]
    assert [d.message for d in result.duplicates] == [
        "entry 5: 13700137000 was already given at entry 3", "entry 7: 13900139000 was already given at entry 1"]
    assert [(e.entry, e.line) for e in result.invalid] == [(4, 1)]
    # still one number when the spaces only group its digits
    assert p.parse_mobiles("+86 139 0013 9000").numbers == ["13900139000"]


def test_realistic_pastes_place_every_fault():
    numbers = [f"139{n:08d}" for n in range(6)]
    for separator in (", ", "，", "， ", "; ", "、"):
        text = separator.join([numbers[0], "1380013800", numbers[1], numbers[0]])
        result = p.parse_mobiles(text)
        assert [e.message for e in result.invalid] == [
            "entry 2: 1380013800 has 10 digits (a mainland mobile number has 11)"
        ]
        assert [d.message for d in result.duplicates] == [f"entry 4: {numbers[0]} was already given at entry 1"]
    for newline in ("\r\n", "\n", "\r\n\r\n"):
        text = newline.join([numbers[0], numbers[1] + ", " + numbers[2], "abc", numbers[2]]) + newline
        result = p.parse_mobiles(text)
        lines = 2 if newline == "\r\n\r\n" else 1
        assert [e.message for e in result.invalid] == [
            f"line {1 + 2 * lines}: abc contains characters other than digits"
        ]
        assert [d.message for d in result.duplicates] == [
            f"line {1 + 3 * lines}: {numbers[2]} was already given at line {1 + lines}"
        ]
        assert result.numbers == numbers[:3]


@pytest.mark.parametrize(
    ("extno", "fine"),
    [
        ("", True),
        ("01", True),
        ("12345", True),
        ("123456", False),
        ("０１", False),
        ("١٢", False),
        ("1a", False),
        (" 1", False),
    ],
)
def test_extno_is_up_to_five_ascii_digits(extno, fine):
    assert (p.check_extno(extno) is None) is fine
    if extno in ("０１", "١٢"):
        assert "digits 0–9" in p.check_extno(extno)


def test_batch_numbers_are_normalised_and_checked_naming_the_row():
    rows = p.decode_batch(p.encode_batch([(" 13800138000", "a"), ("+86 139 0013 9000", "b"), ("13７00137000", "c")]))
    assert [row.mobile for row in rows] == ["13800138000", "13900139000", "13700137000"]
    with pytest.raises(p.BatchFormatError) as caught:
        p.encode_batch([("13800138000", "a"), ("1380013800", "b")])
    assert str(caught.value) == "row 2: '1380013800' has 10 digits (a mainland mobile number has 11)"
    with pytest.raises(p.BatchFormatError, match=r"^row 2: 13800138000 is already in row 1$"):
        p.encode_batch([("13800138000 ", "a"), ("13800138000", "b")])
    with pytest.raises(p.BatchFormatError, match="row 1: ''"):
        p.encode_batch([("", "a")])
    with pytest.raises(p.BatchFormatError, match="^rows: the batch has no rows$"):
        p.encode_batch([])
    with pytest.raises(p.BatchFormatError, match="^rows: the batch has no rows$"):
        p.build_batch_send(p.Credentials("a", "b"), iter([]))


def test_spaced_numbers_on_one_line_are_regrouped():
    found = p.parse_mobiles("+86 138 0013 8000 +86 139 0013 9000")
    assert found.numbers == ["13800138000", "13900139000"] and not found.invalid


def test_a_foreign_number_with_a_space_is_one_entry_naming_why():
    [entry] = p.parse_mobiles("+1 4155550100").invalid
    assert entry.message == "entry 1: +1 4155550100 is not a mainland China number (+86)" and entry.kind == "foreign"
