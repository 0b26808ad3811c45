"""Strings of Reports and Inbox."""

STRINGS: dict[str, tuple[str, str]] = {
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
    "cmd.pull": ("{what}: pull now", "{what}：立即拉取"),
    "cmd.pull.help": ("Ask the gateway for what is waiting now", "立即向网关拉取待取数据"),
    "bind.list.pull": ("Pull now", "立即拉取"),
    "tip.list.pull": ("Ask the gateway for what is waiting now", "立即向网关拉取待取数据"),
}
