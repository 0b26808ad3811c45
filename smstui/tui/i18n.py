"""Every string of the TUI in English and Chinese, chosen by the config's `language` or the locale."""

from __future__ import annotations

import locale
import os

CATALOG: dict[str, tuple[str, str]] = {
    "app.title": ("smstui", "smstui 短信工作台"),
    "area.compose": ("Compose", "撰写"),
    "area.batch": ("Batch", "点对点"),
    "area.mms": ("MMS", "彩信"),
    "area.reports": ("Reports", "状态报告"),
    "area.inbox": ("Inbox", "上行回复"),
    "area.templates": ("Templates", "模板"),
    "area.account": ("Account", "账户"),
    "header.profile": ("profile", "账户"),
    "header.balance": ("balance", "余额"),
    "header.demo": ("DEMO", "演示"),
    "conn.ok": ("● online", "● 在线"),
    "conn.unknown": ("○ connecting", "○ 连接中"),
    "conn.unreachable": ("✕ unreachable", "✕ 无法连接"),
    "conn.credentials": ("✕ wrong credentials", "✕ 账号或密码错误"),
    "conn.disabled": ("✕ account disabled", "✕ 账户已停用"),
    "conn.error": ("! error", "! 错误"),
    "compose.recipients": ("Recipients — paste lines, commas, +86", "收信号码 — 可粘贴换行、逗号、+86"),
    "compose.content": ("Message — end with 【signature】", "短信内容 — 以【签名】结尾"),
    "compose.schedule": ("At (Beijing)", "定时(北京)"),
    "compose.extno": ("Ext", "扩展"),
    "compose.transport": ("Transport", "接口"),
    "compose.send": ("Send…", "发送…"),
    "compose.numbers": ("{valid} valid · {invalid} invalid · {duplicates} duplicate", "有效 {valid} · 无效 {invalid} · 重复 {duplicates}"),
    "compose.no_numbers": ("no numbers yet", "尚无号码"),
    "counter.title": ("Counter", "计数"),
    "counter.length": ("Length", "字数"),
    "counter.segments": ("Segments", "计费条数"),
    "counter.per": ("Cost each", "单价"),
    "counter.total": ("Total cost", "合计"),
    "counter.after": ("Balance after", "发送后余额"),
    "sig.ok": ("Signature 【{name}】 ✓", "签名【{name}】✓"),
    "sig.missing": ("Signature missing", "缺少签名"),
    "sig.bad": ("Signature 【{name}】 has {length} chars", "签名【{name}】为 {length} 字"),
    "sig.rule": ("rule: 【3–8 chars】 at the end (or start)", "规则：结尾（或开头）【3–8个字】"),
    "tpl.none": ("Template: no match", "模板：无匹配"),
    "tpl.match": ("Template {id} ✓", "模板 {id} ✓"),
    "tpl.off": ("", ""),
    "why.disabled": ("Cannot send: {reason}", "无法发送：{reason}"),
    "why.no_numbers": ("add at least one valid number", "请至少输入一个有效号码"),
    "why.invalid": ("fix the invalid numbers", "请修正无效号码"),
    "why.ready": ("Ready to send", "可以发送"),
    "warn.held": ("{count} held back: {first}", "{count} 个号码将被暂缓：{first}"),
    "confirm.title": ("Send this message?", "确认发送？"),
    "confirm.recipients": ("Recipients", "收信人数"),
    "confirm.held": ("Held back", "暂缓"),
    "confirm.segments": ("Segments each", "每条计费"),
    "confirm.cost": ("Total cost", "合计费用"),
    "confirm.after": ("Balance after", "发送后余额"),
    "confirm.when": ("When", "发送时间"),
    "confirm.now": ("now", "立即"),
    "confirm.send": ("Send", "发送"),
    "confirm.cancel": ("Cancel", "取消"),
    "result.title": ("Send result", "发送结果"),
    "result.accepted": ("{accepted} of {total} accepted", "已接受 {accepted} / {total}"),
    "result.tasks": ("Task ids", "任务编号"),
    "result.refused": ("Refused", "被拒"),
    "result.unknown": ("Outcome unknown (not re-sent; reconcile from reports)", "结果未知（不会自动重发，可依据状态报告核对）"),
    "result.held": ("Held back", "暂缓"),
    "result.close": ("Close", "关闭"),
    "progress.title": ("Sending…", "发送中…"),
    "progress.text": ("{done}/{total} numbers · {rate:.0f}/s · {eta}", "{done}/{total} 个号码 · {rate:.0f}/秒 · {eta}"),
    "account.balance": ("SMS balance", "短信余额"),
    "account.mms": ("MMS balance", "彩信余额"),
    "account.paytype": ("Pay type", "付费方式"),
    "account.total": ("Total", "总点数"),
    "account.check": ("Check connection", "检查连接"),
    "account.password": ("Change password", "修改密码"),
    "account.new": ("New password (≤ 20)", "新密码（≤20位）"),
    "account.again": ("Type it again", "再次输入"),
    "account.change": ("Change", "修改"),
    "account.mismatch": ("The two passwords differ", "两次输入的密码不一致"),
    "account.changed": ("Password changed", "密码已修改"),
    "account.profile": ("Profile", "账户配置"),
    "account.switch": ("Switch", "切换"),
    "soon": ("{area} — coming soon", "{area} — 即将推出"),
    "notify.sent": ("Sent: {accepted} accepted, task {task}", "已发送：接受 {accepted}，任务 {task}"),
    "notify.reports": ("{count} delivery reports arrived ({delivered} delivered)", "收到 {count} 条状态报告（成功 {delivered}）"),
    "notify.uplinks": ("{count} replies arrived", "收到 {count} 条回复"),
    "notify.optout": ("{count} numbers opted out", "{count} 个号码退订"),
    "notify.kept": ("A reply could not be read; it was kept for replay", "有一个回复无法解析，已保存待重放"),
    "notify.unexpected": ("Unexpected error (logged to {path})", "意外错误（已记录到 {path}）"),
    "reports.empty": ("No delivery reports yet", "暂无状态报告"),
    "inbox.empty": ("No replies yet", "暂无回复"),
    "col.task": ("Task", "任务"),
    "col.mobile": ("Mobile", "号码"),
    "col.status": ("Status", "状态"),
    "col.time": ("Time", "时间"),
    "col.code": ("Code", "代码"),
    "col.extno": ("Extno", "扩展"),
    "col.content": ("Content", "内容"),
    "status.delivered": ("delivered", "成功"),
    "status.failed": ("failed", "失败"),
    "bind.area.compose": ("Compose", "撰写"),
    "bind.area.batch": ("Batch", "点对点"),
    "bind.area.mms": ("MMS", "彩信"),
    "bind.area.reports": ("Reports", "报告"),
    "bind.area.inbox": ("Inbox", "回复"),
    "bind.area.templates": ("Templates", "模板"),
    "bind.area.account": ("Account", "账户"),
    "bind.compose.send": ("Send", "发送"),
    "bind.compose.clear": ("Clear", "清空"),
    "bind.balance": ("Balance", "余额"),
    "bind.quit": ("Quit", "退出"),
    "bind.list.pull": ("Pull now", "立即拉取"),
    "bind.account.check": ("Check connection", "检查连接"),
    "bind.confirm.send": ("Send", "发送"),
    "bind.confirm.cancel": ("Cancel", "取消"),
    "bind.result.close": ("Close", "关闭"),
}


def detect_language(setting: str = "auto") -> str:
    """`zh` or `en`: the config's choice, else the locale (LANG, LC_ALL, LC_MESSAGES)."""
    if setting in ("zh", "en"):
        return setting
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    found = locale.getlocale()[0] or ""
    return "zh" if found.lower().startswith("zh") else "en"


class Strings:
    """Looks up catalog strings in one language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._index = 1 if language == "zh" else 0

    def __call__(self, key: str, **values: object) -> str:
        """The string for a key, formatted with values."""
        text = CATALOG[key][self._index]
        return text.format(**values) if values else text


def localise_bindings(node, strings: Strings) -> None:
    """Show a node's binding descriptions (footer, palette) in the chosen language, by binding id."""
    from dataclasses import replace

    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=strings(f"bind.{b.id}")) if b.id and f"bind.{b.id}" in CATALOG else b
            for b in bindings
        ]
