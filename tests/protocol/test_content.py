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
