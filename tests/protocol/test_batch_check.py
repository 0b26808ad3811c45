"""The batch's content checker answers as validate_content does, for every text, however the answers are shared."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smstui.protocol as p
from smstui.protocol.batch import ContentChecker

# What the content rules look at: brackets of signatures and of look-alikes, spaces, line breaks, 验证码, controls,
# surrogates and characters outside the BMP, plain text.
PIECES = st.sampled_from(["【", "】", "【星辰科技】", "【一二】", "[", "]", "〖", "〗", "［", "］", "〔", "〕", " ",
                          "\u3000", "\n", "\t", "验证码", "\x00", "\x7f", "\ud83d", "😀", "𠀀", "您好", "a", "。",
                          "字" * 60, "字" * 440, "尊敬的张先生"])
TEXTS = st.lists(PIECES, max_size=12).map("".join)
CHECKERS = {(length, signature): ContentChecker(max_length=length, require_signature=signature)
            for length in (70, 500) for signature in (True, False)}


@settings(max_examples=2000, deadline=None)
@given(text=TEXTS, length=st.sampled_from([70, 500]), signature=st.booleans())
def test_every_answer_is_validate_contents(text, length, signature):
    checker = CHECKERS[length, signature]  # shared across examples: answers kept from other texts are put to the test
    assert checker.check(text) == tuple(p.validate_content(text, max_length=length, require_signature=signature))


@pytest.mark.parametrize(("text", "twin"), [("您好【星辰科技】", "再见【星辰科技】"),
                                          ("尊敬的李四，订单已发货【星辰科技】", "尊敬的王五，订单已签收【星辰科技】"),
                                          ("没有签名的短信", "也没有签名的话"),
                                          ("验证码1234【星辰科技】", "验证码5678【星辰科技】")])
def test_texts_alike_share_one_answer(text, twin):
    checker = ContentChecker()
    first = checker.check(text)
    assert checker.check(twin) is first  # the same signature, length and mark: the answer is shared
    assert checker.check("字" * 460 + text) != first  # another length: an answer of its own (near the limit)


def test_irregular_texts_are_each_checked():
    checker = ContentChecker()
    assert [x.kind for x in checker.check("您好\x00【星辰科技】")] == ["content_control_characters"]
    assert [x.kind for x in checker.check("您好😀【星辰科技】")] == []
    assert [x.kind for x in checker.check("【星辰科技】您好")] == ["signature_at_start"]
    assert [x.kind for x in checker.check("您好 [星辰科技] ")] == ["signature_missing"]


@settings(max_examples=500, deadline=None)
@given(texts=st.lists(TEXTS, max_size=8), length=st.sampled_from([70, 500]), signature=st.booleans())
def test_measuring_many_answers_as_measuring_each(texts, length, signature):
    checker = CHECKERS[length, signature]
    expected = [(tuple(p.validate_content(t, max_length=length, require_signature=signature)), p.text_length(t))
                for t in texts]
    assert checker.measure_all(texts) == expected
    assert [checker.measure(t) for t in texts] == expected


@pytest.mark.parametrize(("when", "night"), [("2026-03-01 21:59:59", False), ("2026-03-01 22:00:00", True),
                                             ("2026-03-02 07:59:59", True), ("2026-03-02 08:00:00", False)])
def test_night_is_22_to_8_beijing_time_whatever_the_machines_zone(when, night):
    from datetime import timedelta, timezone

    from smstui.protocol.batch import reaches_at_night

    moment = p.parse_send_time(when)
    assert reaches_at_night(moment, moment) is night
    assert reaches_at_night(None, moment.astimezone(timezone(timedelta(hours=-5)))) is night  # now, seen in New York
