"""Findings of the protocol and the service (content, numbers, held-back numbers) in Chinese, by kind, and how each
is told (the finder's own English words when the catalog's English is empty)."""

from __future__ import annotations

import re
from typing import Any

from .strings import Catalog, Strings

STRINGS: Catalog = {
    "dup.entry": ("{where}: {mobile} was already given at {first}", "{where}：{mobile} 与{first}重复"),
    "problem.for_mobile": ("the message for {mobile}: {text}", "发给 {mobile} 的短信：{text}"),
    "problem.in_rows": ("{text} ({rows} rows)", "{text}（共 {rows} 行）"),
    "problem.content_empty": ("", "短信内容为空"),
    "problem.content_too_long": ("", "短信共 {length} 字，网关最多接受 {max} 字"),
    "problem.content_near_limit": ("", "短信已有 {length} 字，上限 {max} 字"),
    "problem.signature_missing": ("", "缺少签名：请以【签名】结尾，3–8 个字"),
    "problem.signature_length": ("", "签名【{name}】为 {length} 字，应为 3–8 字"),
    "problem.signature_at_start": ("", "签名在开头；文档要求放在结尾"),
    "problem.signature_twice": ("", "两端都有【…】：网关只认一个签名"),
    "problem.verification_code": ("", "含“验证码”：同一号码 3 分钟内最多 3 条"),
    "invalid.foreign": ("", "{where}：{text} 不是中国大陆号码（+86）"),
    "invalid.not_digits": ("", "{where}：{text} 含有数字以外的字符"),
    "invalid.length": ("", "{where}：{text} 为 {digits} 位（大陆手机号为 11 位）"),
    "invalid.prefix": ("", "{where}：{text} 不以 13–19 开头"),
    "invalid.invalid": ("", "{where}：{text} 不是有效的手机号码"),
    "problem.content_only_signature": ("", "只有签名，没有正文"),
    "problem.signature_not_at_end": ("", "签名【{name}】之后还有“{tail}”：签名须在最后"),
    "problem.content_broken_characters": ("", "含有残缺的字符（半个表情符号），请删除后重新输入"),
    "held.optout": ("", "{mobile} 已退订"),
    "held.verification": ("", "{mobile}：3 分钟内验证码已达 3 条，网关会视为恶意注册"),
    "held.daily": ("", "{mobile}：今日已达 10 条，网关会以超限拒绝"),
    "held.doubt": ("", "{mobile} 所在的发送 {send} 结果未知：请先对账再发送"),
    "where.line": ("line {n}", "第 {n} 行"),
    "where.entry": ("entry {n}", "第 {n} 项"),
    "problem.no_recipients": ("", "没有收信号码"),
    "problem.numbers_invalid": ("", "{count} 个无效号码，例如 {example}"),
    "problem.numbers_repeated": ("", "有号码重复"),
    "problem.no_password": ("", "该账户配置没有密码"),
    "problem.extno": ("", "扩展号 {extno} 须为最多 5 位数字"),
    "problem.schedule_past": ("", "定时 {when}（北京时间）已过去"),
    "problem.schedule_far": ("", "定时 {when}（北京时间）在一年以后，请检查年份"),
    "problem.gbk_unencodable": ("", "GBK 接口无法发送这些字符：请改用 xml 或 json 接口，或删除它们"),
    "problem.encrypted_userid": ("", "加密接口需要账户的数字企业ID（请在账户配置中填写 userid）"),
    "problem.mms_subject_empty": ("", "彩信需要主题"),
    "problem.mms_subject_broken": ("", "主题含有残缺的字符（半个表情符号），请重新输入"),
    "problem.mms_empty": ("", "彩信至少需要一页"),
    # the template rules reviewers return
    "problem.template_variable_run": ("", "连续的@最多允许出现5次"),
    "problem.template_variable_in_signature": ("", "签名中有变量（@）：签名应是账户固定的名称"),
    "problem.template_brackets": ("", "正文第 {at} 字有【或】，会被当作第二个签名：请改用「」或（）"),
    "problem.template_only_variables": ("", "全部是变量：任何短信都能通过，审核会退回"),
    "problem.template_long_when_filled": ("", "变量填满时短信为 {longest} 字，网关最多接受 {max} 字：请让变量短一些"),
    "templates.import_line": ("line {line}", "第 {line} 行"),
    "templates.finding.template_empty": ("no template text", "没有模板文本"),
    "templates.finding.template_repeated": ("the same text as line {first}", "与第 {first} 行文本相同"),
    "problem.template_gbk": ("", "GBK 接口无法传送{characters}：使用该模板的短信须走 xml 或 json 接口"),
}

_WHERE = re.compile(r"(line|entry) (\d+)")


def problem_text(t: Strings, problem: Any) -> str:
    """A content Problem (kind + params) in the user's language, naming the batch row's number and how many rows
    have it; the finder's own words (whole already) when not catalogued."""
    params = problem.params
    text = t.get(f"problem.{problem.kind}", "", **params)
    if not text:
        return str(problem.message)
    if "for_mobile" in params:
        text = t("problem.for_mobile", mobile=params["for_mobile"], text=text)
    if params.get("rows", 1) > 1:
        text = t("problem.in_rows", rows=params["rows"], text=text)
    return text


def template_finding_text(t: Strings, finding: Any) -> str:
    """A problem of a templates file (a LineProblem) by its line, in the user's language (the reader's own words
    otherwise)."""
    line = t("templates.import_line", line=finding.line)
    problems = finding.params.get("problems")
    if finding.kind == "template_invalid" and isinstance(problems, list):
        return f"{line}: " + "; ".join(problem_text(t, problem) for problem in problems)
    if t.has(f"templates.finding.{finding.kind}"):
        return f"{line}: " + t(f"templates.finding.{finding.kind}", **finding.params)
    return str(finding.message)


def where_text(t: Strings, where: str) -> str:
    """A place in a pasted list (`line 3`, `entry 2`) in the user's language."""
    match = _WHERE.fullmatch(where)
    return t(f"where.{match[1]}", n=match[2]) if match else where


def invalid_text(t: Strings, entry: Any) -> str:
    """An invalid entry of a pasted number list, naming where it is and what is wrong."""
    kind = getattr(entry, "kind", "")
    params = {"where": where_text(t, entry.where), "text": entry.text, **getattr(entry, "params", {})}
    return t.get(f"invalid.{kind}", entry.message, **params) if kind else entry.message


def duplicate_text(t: Strings, entry: Any) -> str:
    """A number given twice, naming both places."""
    return t("dup.entry", where=where_text(t, entry.where), mobile=entry.mobile, first=where_text(t, entry.first_where))


def held_text(t: Strings, held: Any) -> str:
    """Why a number is held back before sending (opt-out, a send in doubt, or one of the two sending rules)."""
    return t.get(f"held.{held.rule}", held.reason, mobile=held.mobile, send=getattr(held, "send_id", ""))
