"""Content checks the compose screen runs on every keystroke: signatures, order of problems, broken characters."""

import pytest

import smstui.protocol as p

SIG = "【星辰科技】"
LONE = "\ud83d"  # the first half of an emoji, as a broken paste leaves it


def kinds(problems):
    return [problem.kind for problem in problems]


@pytest.mark.parametrize("name", ["   ", "\u3000\u3000\u3000", " \t  "])
def test_a_signature_of_whitespace_is_empty(name):
    [problem] = p.validate_content(f"您好【{name}】")
    assert (problem.kind, problem.code, problem.blocking) == ("signature_length", 2114, True)
    assert "empty" in problem.message
    assert not p.find_signature(f"您好【{name}】").valid


def test_two_signatures_side_by_side_are_a_warning():
    for text in ("您好" + SIG + "【另一个签名】", "您好" + SIG + " 【另一个签名】"):
        assert kinds(p.validate_content(text)) == ["signature_twice"]
    assert kinds(p.validate_content(SIG + "【另一个签名】您好")) == ["signature_twice", "signature_at_start"]
    assert kinds(p.validate_content("活动【限时】" + SIG)) == []  # a two-character tag is no signature


def test_a_signature_alone_is_an_empty_message():
    [problem] = p.validate_content(SIG)
    assert (problem.kind, problem.code, problem.blocking) == ("content_only_signature", 2001, True)
    assert kinds(p.validate_content(" " + SIG + "\n")) == ["content_only_signature"]


@pytest.mark.parametrize("tail", ["。", "!", " 谢谢 ", "TD"])
def test_text_after_the_signature_is_named(tail):
    [problem] = p.validate_content("您好" + SIG + tail)
    assert (problem.kind, problem.code, problem.blocking) == ("signature_not_at_end", 2113, True)
    assert repr(tail.strip()) in problem.message and "before 【" in problem.message
    assert kinds(p.validate_content("活动【限时】开始了，欢迎光临本店")) == [
        "signature_missing"
    ]  # a long tail is body text


def test_problems_come_most_serious_first():
    text = "【星辰科技】验证码" + "字" * 480 + "【星辰科技】。"
    severities = [problem.severity for problem in p.validate_content(text)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    problems = p.validate_content("【星辰科技】【另一个签名】您的验证码1234")  # found as: info, warning, info
    assert [(x.kind, x.severity) for x in problems] == [
        ("signature_twice", "warning"),
        ("signature_at_start", "info"),
        ("verification_code", "info"),
    ]
    assert kinds(p.validate_content("验证码" + "字" * 460 + "【一二】")) == [
        "signature_length",
        "content_near_limit",
        "verification_code",
    ]


def test_lone_surrogates_are_counted_and_reported_not_a_traceback():
    text = "您好" + LONE + SIG
    assert p.text_length(text) == 9 and p.segments(text) == 1
    [problem] = p.validate_content(text)
    assert (problem.kind, problem.blocking) == ("content_broken_characters", True)
    assert "U+D83D" in problem.message


def test_lone_surrogates_are_refused_naming_the_field_or_row():
    creds = p.Credentials("demo", "demo123", "1001")
    with pytest.raises(p.BatchFormatError, match="^row 2: .*broken character"):
        p.encode_batch([("13800138000", "好"), ("13900139000", "坏" + LONE)])
    with pytest.raises(p.Text64Error, match="^Text: .*broken character"):
        p.encode_text64({"Text": LONE}, "test")
    with pytest.raises(p.Text64Error, match="^password: "):
        p.encode_text64({"Text": "x"}, "te" + LONE)
    with pytest.raises(p.Text64Error, match="^Text: "):
        p.build_encrypted_send(creds, "13800138000", LONE + SIG, p.parse_send_time("2026-03-01 10:00:00"))
    with pytest.raises(p.EncodeError, match="^content: .*U\\+D83D"):
        p.build_send(creds, "13800138000", LONE + SIG)
    with pytest.raises(p.EncodeError, match="^content: "):
        p.build_soap_send(creds, "13800138000", LONE + SIG)
    with pytest.raises(p.EncodeError, match="^password: "):
        p.build_balance(p.Credentials("demo", LONE))
    with pytest.raises(p.EncodeError, match="^template: "):
        p.build_template_add(creds, LONE + SIG)
    with pytest.raises(p.EncodeError, match="^subject: "):
        p.build_mms_send(creds, "13800138000", LONE, b"x")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("你好\x00世界" + SIG, [(3, "\x00")]),
        ("a\x01b\x7fc" + SIG, [(2, "\x01"), (4, "\x7f")]),
        ("\x1b[31m红色" + SIG, [(1, "\x1b")]),
        ("换页\x0c与\x85下一行" + SIG, [(3, "\x0c"), (5, "\x85")]),
    ],
)
def test_control_characters_are_refused_with_their_positions(text, found):
    assert p.control_characters(text) == found
    [problem] = p.validate_content(text)
    assert (problem.kind, problem.blocking, problem.code) == ("content_control_characters", True, None)
    assert problem.params["characters"] == [c for _, c in found]
    assert problem.params["positions"] == [at for at, _ in found] == [int(n) for n in problem.params["at"].split(", ")]
    for position, character in found:
        assert f"U+{ord(character):04X}" in problem.message and f"at character {position}" in problem.message
    assert not any(character in problem.message for _, character in found)  # named, never printed


def test_tabs_and_line_breaks_are_not_control_characters():
    text = "第一行\r\n第二行\n\t缩进" + SIG
    assert p.control_characters(text) == [] and p.validate_content(text) == []


def test_control_characters_are_described_and_shown_for_people():
    assert p.describe_controls([(3, "\x00"), (9, "\x07"), (12, "\x7f"), (13, "\x9b")]) == (
        "U+0000 (NUL) at character 3, U+0007 (BEL) at character 9, U+007F (DEL) at character 12, "
        "U+009B at character 13"
    )
    many = [(n, "\x00") for n in range(1, 9)]
    assert p.describe_controls(many).endswith("at character 5 and 3 more")
    assert p.show_controls("a\x00b\x1bc") == "a\\x00b\\x1bc" and p.show_controls("普通") == "普通"
