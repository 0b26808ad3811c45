"""Strings of `reports` and `inbox`: the tables, and what --follow says while the gateway fails."""

STRINGS: dict[str, tuple[str, str]] = {
    "list.col.task": ("task", "任务"),
    "list.col.mobile": ("mobile", "号码"),
    "list.col.status": ("status", "状态"),
    "list.col.time": ("time", "时间"),
    "list.col.code": ("code", "代码"),
    "list.col.extno": ("extno", "扩展号"),
    "list.col.content": ("content", "内容"),
    "list.col.optout": ("opt-out", "退订"),
    "list.delivered": ("delivered", "已送达"),
    "list.failed": ("failed", "失败"),
    "list.yes": ("yes", "是"),
    "list.no_reports": ("no reports", "没有状态报告"),
    "list.no_replies": ("no replies", "没有上行回复"),
    "list.retry": ("{error} — trying again in {delay} s", "{error} — {delay} 秒后重试"),
    "list.positive": ("{text} is not a whole number above 0", "{text} 不是大于 0 的整数"),
}
