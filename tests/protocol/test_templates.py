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


@settings(max_examples=300)
@given(st.lists(st.tuples(st.text(alphabet="ab，@", min_size=1, max_size=8), st.sampled_from([1, 2, 3, 4])),
                min_size=0, max_size=12),
       st.lists(st.text(alphabet="ab，x", max_size=30), min_size=1, max_size=8))
def test_the_index_finds_what_matching_every_template_finds(texts, contents):
    templates = [p.Template(str(n), status, text) for n, (text, status) in enumerate(texts)]
    index = p.TemplateIndex(templates)
    for content in contents:
        assert index.match(content) == p.match_template(content, templates)
        other = index.fits_other(content)
        assert other is None or (not other.enabled and matches(content, other.text))


@settings(max_examples=500)
@given(st.text(alphabet="ab，@", min_size=1, max_size=8), st.text(alphabet="ab，x", max_size=30))
def test_a_comparison_fits_exactly_when_the_content_matches(template, content):
    comparison = p.compare(content, p.Template("1", 1, template))
    assert comparison.fits == matches(content, template)
    assert comparison.fits == (not comparison.departures)


def test_a_comparison_says_where_a_content_departs_and_what_each_variable_holds():
    order = p.Template("2", 1, "尊敬的@，您的订单@已发货" + SIGNATURE)
    fits = p.compare("尊敬的李四，您的订单A123已发货" + SIGNATURE, order)
    assert fits.fits and fits.values == ("李四", "A123")
    changed = p.compare("尊敬的李四，您的包裹A123已发货啦" + SIGNATURE, order)
    assert [(d.kind, d.at, d.content, d.template) for d in changed.departures] == [
        ("differs", 8, "包裹", "订单"), ("extra", 17, "啦", "")]
    long = p.compare("尊敬的" + "张" * 25 + "，您的订单A1已发货" + SIGNATURE, order)
    [too_long] = long.departures
    assert (too_long.kind, too_long.variable, too_long.length, too_long.longest) == ("variable_long", 1, 25, 20)
    empty = p.compare("尊敬的，您的订单A1已发货" + SIGNATURE, order)
    assert [(d.kind, d.variable) for d in empty.departures] == [("variable_empty", 1)]
    index = p.TemplateIndex([order, p.Template("1", 1, "您的验证码是@，@分钟内有效" + SIGNATURE)])
    assert index.closest("尊敬的李四，您的包裹A123已发货" + SIGNATURE).template is order
    assert p.TemplateIndex([p.Template("3", 3, order.text)]).closest("x") is None  # nothing enabled


def test_variables_have_their_widths_and_a_template_its_lengths():
    text = "验证码@，@@分钟内有效" + SIGNATURE
    assert [(v.number, v.start, v.run, v.longest) for v in p.template_variables(text)] == [(1, 3, 1, 20),
                                                                                          (2, 5, 2, 40)]
    fixed = len("验证码，分钟内有效" + SIGNATURE)
    assert p.filled_lengths(text) == (fixed + 2, fixed + 60)


def test_the_rules_reviewers_return_are_warned_before_anything_is_sent():
    def kinds(text, **options):
        return {(x.kind, x.severity) for x in p.validate_template(text, **options)}

    assert kinds("编号@@@@@@" + SIGNATURE) == {("template_variable_run", "error")}
    assert ("template_brackets", "warning") in kinds("详见【说明】@" + SIGNATURE)
    assert ("template_variable_in_signature", "warning") in kinds("您好@【星辰@科技】")
    assert ("template_only_variables", "warning") in kinds("@，@" + SIGNATURE)
    assert ("template_long_when_filled", "info") in kinds("@@@@@" * 5 + SIGNATURE)
    assert ("template_gbk", "warning") in kinds("您好@😀" + SIGNATURE, gbk=True)
    assert ("template_gbk", "warning") not in kinds("您好@😀" + SIGNATURE)
    assert kinds("您好@，欢迎光临" + SIGNATURE) == set()
    ranks = [x.severity for x in p.validate_template("详见【说明】@@@@@@")]
    assert ranks == sorted(ranks, key=["error", "warning", "info"].index)  # the most serious first
