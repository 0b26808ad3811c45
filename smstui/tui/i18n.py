"""Every string of the TUI in English and Chinese, chosen by the config's `language` or the locale."""

from __future__ import annotations

import locale
import os

CATALOG: dict[str, tuple[str, str]] = {
    # areas, header, connection
    "area.compose": ("Compose", "撰写"),
    "area.batch": ("Batch", "点对点"),
    "area.mms": ("MMS", "彩信"),
    "area.reports": ("Reports", "状态报告"),
    "area.inbox": ("Inbox", "上行回复"),
    "area.templates": ("Templates", "模板"),
    "area.account": ("Account", "账户"),
    "header.profile": ("profile", "配置"),
    "header.balance": ("balance", "余额"),
    "header.demo": ("DEMO", "演示"),
    "conn.ok": ("● online", "● 在线"),
    "conn.unknown": ("○ connecting", "○ 连接中"),
    "conn.unreachable": ("✕ unreachable", "✕ 无法连接"),
    "conn.credentials": ("✕ wrong credentials", "✕ 账号或密码错误"),
    "conn.disabled": ("✕ account disabled", "✕ 账户已停用"),
    "conn.error": ("! error", "! 错误"),
    "soon": ("{area} — coming soon", "{area} — 即将推出"),
    "soon.cli.batch": ("Until then: smstui batch FILE.csv", "在此之前可用：smstui batch 文件.csv"),
    "soon.cli.mms": ("Until then: smstui mms --to … --subject … --slide …", "在此之前可用：smstui mms --to … --subject … --slide …"),
    "soon.cli.templates": ("Until then: smstui templates list|add|update|delete", "在此之前可用：smstui templates list|add|update|delete"),
    "exit.start": ("smstui could not start: {error}", "smstui 无法启动：{error}"),
    # compose
    "compose.recipients": ("Recipients — paste lines, commas, +86", "收信号码 — 可粘贴换行、逗号、+86"),
    "compose.content": ("Message — end with 【signature】", "短信内容 — 以【签名】结尾"),
    "compose.schedule": ("At (Beijing)", "定时(北京)"),
    "compose.extno": ("Ext", "扩展"),
    "compose.transport": ("Transport", "接口"),
    "compose.send": ("Send…", "发送…"),
    "compose.numbers": ("{valid} valid · {invalid} invalid · {duplicates} duplicate", "有效 {valid} · 无效 {invalid} · 重复 {duplicates}"),
    "compose.no_numbers": ("no numbers yet", "尚无号码"),
    "counter.length": ("Length", "字数"),
    "counter.segments": ("Segments", "计费条数"),
    "counter.per": ("Cost each", "单价"),
    "counter.total": ("Total cost", "合计"),
    "counter.after": ("Balance after", "发送后余额"),
    "sig.ok": ("Signature 【{name}】 ✓", "签名【{name}】✓"),
    "sig.missing": ("Signature missing", "缺少签名"),
    "sig.bad": ("Signature 【{name}】: {length} characters, 3–8 needed", "签名【{name}】为 {length} 字，应为 3–8 字"),
    "sig.rule": ("rule: 【3–8 chars】 at the end (or start)", "规则：结尾（或开头）【3–8个字】"),
    "tpl.none": ("Template: no match", "模板：无匹配"),
    "tpl.match": ("Template {id} ✓", "模板 {id} ✓"),
    "why.disabled": ("Cannot send: {reason}", "无法发送：{reason}"),
    "why.no_numbers": ("add at least one valid number", "请至少输入一个有效号码"),
    "why.invalid": ("fix the invalid numbers", "请修正无效号码"),
    "why.all_held": ("every number is held back (see above)", "所有号码均被暂缓（见上方）"),
    "why.balance": ("the balance is below the cost (Ctrl+R refreshes it)", "余额不足以支付费用（Ctrl+R 刷新余额）"),
    "why.ready": ("Ready to send", "可以发送"),
    "why.switching": ("another profile is being opened; nothing was sent", "正在打开另一个账户，未发送任何短信"),
    "schedule.format": ("{text!r} is not a time like 2026-02-02 09:08:10", "“{text}”不是 2026-02-02 09:08:10 这样的时间"),
    "schedule.past": ("the schedule {when} (Beijing) is in the past", "定时 {when}（北京时间）已过去"),
    "schedule.at": ("» at {when} Beijing time", "» 北京时间 {when} 发送"),
    "schedule.at_local": ("» at {when} Beijing time = {local} {zone} here", "» 北京时间 {when} 发送（本机 {local} {zone}）"),
    "warn.balance": ("The balance ({balance}) is below the cost ({cost}): a prepaid account refuses it (1111) — top up first",
                     "余额（{balance}）低于费用（{cost}）：预付费账户会被拒绝（1111）— 请先充值"),
    "dup.entry": ("{where}: {mobile} was already given at {first}", "{where}：{mobile} 与{first}重复"),
    # findings of the protocol (English: the protocol's own words)
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
    # confirmation, progress, result
    "confirm.title": ("Send this message?", "确认发送？"),
    "confirm.recipients": ("Recipients", "收信人数"),
    "confirm.held": ("Held back", "暂缓"),
    "confirm.segments": ("Segments each", "每条计费"),
    "confirm.cost": ("Total cost", "合计费用"),
    "confirm.after": ("Balance after", "发送后余额"),
    "confirm.when": ("When", "发送时间"),
    "confirm.now": ("now", "立即"),
    "confirm.via": ("Transport", "接口"),
    "confirm.short": ("The balance is below the cost: a prepaid account refuses what it cannot pay (1111).",
                      "余额不足以支付费用：预付费账户超出部分会被拒绝（1111）。"),
    "confirm.at": ("{when} (Beijing)", "{when}（北京时间）"),
    "confirm.send": ("Send", "发送"),
    "confirm.all": ("Send to all {count}", "全部 {count} 个都发"),
    "confirm.cancel": ("Cancel", "取消"),
    "progress.title": ("Sending…", "发送中…"),
    "progress.starting": ("starting…", "正在开始…"),
    "progress.text": ("{done}/{total} numbers · {rate:.0f}/s · {eta}", "{done}/{total} 个号码 · {rate:.0f}/秒 · {eta}"),
    "progress.stopping": ("stopping after the requests in flight…", "正在停止（等待已发出的请求）…"),
    "progress.hint": ("Esc stops after the requests in flight; the rest can be resumed.", "按 Esc 在已发出的请求结束后停止，其余可稍后继续。"),
    "progress.stop": ("Stop", "停止"),
    "result.title": ("Send result", "发送结果"),
    "result.accepted": ("{accepted} of {total} accepted", "已接受 {accepted} / {total}"),
    "result.tasks": ("Task ids", "任务编号"),
    "result.refused": ("Refused", "被拒"),
    "result.not_accepted": ("{count} not accepted by the gateway (their reports will say why)", "网关未接受 {count} 个号码（原因见状态报告）"),
    "result.unknown": ("Outcome unknown for {count} (not re-sent): smstui reconcile {send}", "{count} 个号码结果未知（不会自动重发）：smstui reconcile {send}"),
    "result.unsent": ("{count} not sent: smstui resume {send}", "{count} 个号码未发送：smstui resume {send}"),
    "result.held": ("Held back", "暂缓"),
    "result.close": ("Close", "关闭"),
    # account
    "account.balance": ("SMS balance", "短信余额"),
    "account.mms": ("MMS balance", "彩信余额"),
    "account.paytype": ("Pay type", "付费方式"),
    "account.recharged": ("Recharged in all", "累计充值"),
    "account.used": ("Used in all", "累计使用"),
    "pay.prepaid": ("prepaid", "预付费"),
    "pay.postpaid": ("post-paid", "后付费"),
    "account.check": ("Check connection", "检查连接"),
    "account.checking": ("checking…", "检查中…"),
    "account.connected": ("connected; balance {balance}", "连接正常；余额 {balance}"),
    "account.password": ("Change password", "修改密码"),
    "account.new": ("New password (≤ 20)", "新密码（≤20位）"),
    "account.again": ("Type it again", "再次输入"),
    "account.change": ("Change", "修改"),
    "account.changing": ("changing…", "修改中…"),
    "account.mismatch": ("The two passwords differ; nothing was changed", "两次输入的密码不一致，未修改"),
    "account.rule": ("The password has {length} characters; it must have 1 to {most}", "新密码为 {length} 位，应为 1–{most} 位"),
    "account.changed": ("Password changed", "密码已修改"),
    "account.changed.update": ("Password changed — update it where smstui reads it (config, password_env, "
                               "password_command or password_file), or the next start will fail",
                               "密码已修改 — 请同时更新 smstui 读取密码之处（配置文件、password_env、password_command 或 password_file），否则下次启动会失败"),
    "account.profile": ("Profile", "账户配置"),
    "account.switch": ("Switch", "切换"),
    "account.switching": ("opening profile {name}…", "正在打开账户 {name}…"),
    "account.demo": ("built-in simulator", "内置模拟网关"),
    "account.name": ("account", "账号"),
    "account.userid": ("userid", "企业ID"),
    "account.empty": ("Type the new password twice", "请输入两次新密码"),
    # lists
    "reports.empty": ("No delivery reports yet", "暂无状态报告"),
    "reports.noun": ("reports", "条状态报告"),
    "inbox.empty": ("No replies yet", "暂无回复"),
    "inbox.noun": ("replies", "条回复"),
    "list.all": ("{shown} {noun}", "共 {shown} {noun}"),
    "list.more": ("{shown} newest {noun} of more (smstui reports / inbox shows all)", "显示最新 {shown} {noun}，还有更多（smstui reports / inbox 可查看全部）"),
    "col.task": ("Task", "任务"),
    "col.mobile": ("Mobile", "号码"),
    "col.status": ("Status", "状态"),
    "col.time": ("Time", "时间"),
    "col.code": ("Code", "代码"),
    "col.extno": ("Extno", "扩展"),
    "col.content": ("Content", "内容"),
    "status.delivered": ("delivered", "成功"),
    "status.failed": ("failed", "失败"),
    # notifications and errors
    "notify.sent": ("Sent: {accepted} of {total} accepted, task {task}", "已发送：接受 {accepted} / {total}，任务 {task}"),
    "notify.reports": ("{count} delivery reports arrived ({delivered} delivered)", "收到 {count} 条状态报告（成功 {delivered}）"),
    "notify.uplinks": ("{count} replies arrived", "收到 {count} 条回复"),
    "notify.optout": ("{count} numbers opted out", "{count} 个号码退订"),
    "notify.kept": ("A reply could not be read; it was kept for replay", "有一个回复无法解析，已保存待重放"),
    "notify.unexpected": ("Unexpected error (logged to {path})", "意外错误（已记录到 {path}）"),
    "error.GatewayRefused": ("Refused by the gateway", "网关拒绝"),
    "error.InvalidInput": ("Invalid input", "输入有误"),
    "error.UnknownOutcome": ("Outcome unknown", "结果未知"),
    "error.Unreachable": ("Gateway unreachable", "无法连接网关"),
    "error.ConfigError": ("Configuration error", "配置错误"),
    "error.StoreError": ("Local database error", "本地数据库错误"),
    "error.ServiceError": ("Error", "错误"),
    # command palette
    "cmd.go": ("go: {area}", "前往：{area}"),
    "cmd.go.help": ("Open the {area} area", "打开“{area}”"),
    "cmd.balance": ("account: refresh balance", "账户：刷新余额"),
    "cmd.balance.help": ("Ask the gateway for the balance now", "立即向网关查询余额"),
    "cmd.profile": ("profile: switch to {name}", "账户：切换到 {name}"),
    "cmd.profile.help": ("Close this profile and open {name} (drafts stay)", "关闭当前账户并打开 {name}（草稿保留）"),
    "cmd.send": ("compose: send", "撰写：发送"),
    "cmd.send.help": ("Check, confirm and send the draft", "检查、确认并发送草稿"),
    "cmd.clear": ("compose: new message", "撰写：新短信"),
    "cmd.clear.help": ("Empty the message (the numbers stay)", "清空短信内容（号码保留）"),
    "cmd.numbers": ("compose: clear numbers", "撰写：清空号码"),
    "cmd.numbers.help": ("Empty the recipients (the message stays)", "清空收信号码（短信内容保留）"),
    "cmd.help": ("app: keys and help", "应用：按键与帮助"),
    "cmd.help.help": ("The keys of what has focus", "当前焦点可用的按键"),
    "cmd.quit": ("app: quit", "应用：退出"),
    "cmd.quit.help": ("Stop polling and quit (nothing in flight is lost)", "停止拉取并退出"),
    "palette.placeholder": ("Search for a command…", "搜索命令…"),
    "cmd.check": ("account: check connection", "账户：检查连接"),
    "cmd.check.help": ("Tell apart unreachable, wrong credentials, disabled and OK", "区分无法连接、账号密码错误、停用与正常"),
    "cmd.password": ("account: change password", "账户：修改密码"),
    "cmd.password.help": ("Type the new password twice", "输入两次新密码"),
    "cmd.pull": ("{what}: pull now", "{what}：立即拉取"),
    "cmd.pull.help": ("Ask the gateway for what is waiting now", "立即向网关拉取待取数据"),
    # binding descriptions (footer, help), by binding id
    "bind.area.compose": ("Compose", "撰写"),
    "bind.area.batch": ("Batch", "点对点"),
    "bind.area.mms": ("MMS", "彩信"),
    "bind.area.reports": ("Reports", "报告"),
    "bind.area.inbox": ("Inbox", "回复"),
    "bind.area.templates": ("Templates", "模板"),
    "bind.area.account": ("Account", "账户"),
    "bind.help": ("Help", "帮助"),
    "bind.compose.send": ("Send", "发送"),
    "bind.compose.clear": ("New", "新短信"),
    "bind.compose.numbers": ("Clear numbers", "清空号码"),
    "bind.balance": ("Balance", "余额"),
    "bind.quit": ("Quit", "退出"),
    "bind.palette": ("palette", "命令"),
    "where.line": ("line {n}", "第 {n} 行"),
    "where.entry": ("entry {n}", "第 {n} 项"),
    "bind.list.pull": ("Pull now", "立即拉取"),
    "bind.account.check": ("Check", "检查连接"),
    "bind.confirm.cancel": ("Cancel", "取消"),
    "bind.progress.stop": ("Stop", "停止"),
    "bind.result.close": ("Close", "关闭"),
    # binding tooltips (footer hover, help), by binding id
    "tip.balance": ("Ask the gateway for the balance now", "立即向网关查询余额"),
    "tip.palette": ("Every action, searchable", "所有操作，可搜索"),
    "tip.compose.send": ("Check, confirm and send", "检查、确认并发送"),
    "tip.compose.clear": ("Empty the message (the numbers stay)", "清空短信内容（号码保留）"),
    "tip.compose.numbers": ("Empty the recipients (the message stays)", "清空收信号码（短信内容保留）"),
    "tip.account.check": ("Tell apart unreachable, wrong credentials, disabled and OK", "区分无法连接、账号密码错误、停用与正常"),
    "tip.list.pull": ("Ask the gateway for what is waiting now", "立即向网关拉取待取数据"),
    "tip.progress.stop": ("Stop after the requests in flight; the rest can be resumed", "等已发出的请求结束后停止，其余可稍后继续"),
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

    def finding(self, key: str, own_words: str, **values: object) -> str:
        """A catalogued finding in this language; `own_words` (the finder's English) when it has no entry here."""
        entry = CATALOG.get(key)
        text = entry[self._index] if entry else ""
        if not text:
            return own_words
        try:
            return text.format(**values)
        except (KeyError, IndexError):
            return own_words


def localise_bindings(node, strings: Strings) -> None:
    """Show a node's binding descriptions (footer, palette) in the chosen language, by binding id."""
    from dataclasses import replace

    def localised(binding):
        if not binding.id:
            return binding
        changes = {}
        if f"bind.{binding.id}" in CATALOG:
            changes["description"] = strings(f"bind.{binding.id}")
        if f"tip.{binding.id}" in CATALOG:
            changes["tooltip"] = strings(f"tip.{binding.id}")
        return replace(binding, **changes) if changes else binding

    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [localised(b) for b in bindings]
