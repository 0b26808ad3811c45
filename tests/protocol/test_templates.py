"""Template matching (chapter 9): a run of k `@` stands for 1 to 20·k characters, matched without backtracking."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import smstui.protocol as p
from smstui.protocol.templates import matches

SIGNATURE = "【星辰科技】"


def regex_oracle(content: str, template: str) -> bool:
    """The rule written as a regex: right by construction, exponential on some inputs, so only for small ones."""
    pieces, position = [], 0
    for run in re.finditer("@+", template):
        pieces += [re.escape(template[position : run.start()]), f".{{1,{20 * len(run.group())}}}"]
        position = run.end()
    return re.fullmatch("".join(pieces) + re.escape(template[position:]), content, re.S) is not None


@settings(max_examples=2000)
@given(st.text(alphabet="ab，@", max_size=10), st.text(alphabet="ab，\n", max_size=60))
def test_matcher_agrees_with_the_rule(template, content):
    assert matches(content, template) == regex_oracle(content, template)


@given(st.lists(st.tuples(st.text(alphabet="ab，", min_size=1, max_size=3), st.integers(1, 5)), min_size=1, max_size=4),
       st.data())
def test_contents_made_from_a_template_match_it(pieces, data):
    template = "".join(literal + "@" * run for literal, run in pieces) + SIGNATURE
    content = "".join(
        literal + data.draw(st.text(alphabet="xy，", min_size=1, max_size=20 * run)) for literal, run in pieces
    )
    assert matches(content + SIGNATURE, template)


def test_many_variables_against_a_long_run_of_separators_answer_at_once():
    # With a backtracking regex this pair took 22 s for 100 commas and grows exponentially; the matcher is linear.
    template = "@，@，@，@，@，@，@，@。" + SIGNATURE
    assert not matches("，" * 100 + SIGNATURE, template)
    assert matches("，" * 100 + "。" + SIGNATURE, template)
    assert not matches("，" * 3000 + "。" + SIGNATURE, template)  # too long for eight variables of 20
    enabled = [p.Template("1", 1, template), p.Template("2", 1, "@@@@@，@@@@@，@@@@@" + SIGNATURE)]
    assert p.match_template("，" * 200 + SIGNATURE, enabled).template_id == "2"


def test_a_variable_needs_at_least_one_character_and_at_most_twenty_per_at():
    assert not matches("编号结束" + SIGNATURE, "编号@结束" + SIGNATURE)
    assert matches("编号" + "x" * 20 + "结束" + SIGNATURE, "编号@结束" + SIGNATURE)
    assert not matches("编号" + "x" * 21 + "结束" + SIGNATURE, "编号@结束" + SIGNATURE)
    assert matches("x" * 100 + SIGNATURE, "@@@@@" + SIGNATURE) and not matches(
        "x" * 101 + SIGNATURE, "@@@@@" + SIGNATURE
    )
    assert matches("开头\n第二行" + SIGNATURE, "开头@" + SIGNATURE)  # a variable may hold a line break
