"""Strings of every command: warnings, failures, Ctrl-C, the push receiver, the simulator, lost bodies."""

STRINGS: dict[str, tuple[str, str]] = {
    "cli.warning": ("warning: {message}", "警告：{message}"),
    "cli.stopping": ("stopping after the requests in flight; Ctrl-C again to stop at once (requests then in flight "
                     "become unknown)", "将在已发出的请求结束后停止；再按 Ctrl-C 立即停止（届时在途的请求结果未知）"),
    "cli.unexpected": ("unexpected failure ({what}); details in {path}", "意外错误（{what}）；详见 {path}"),
    "error.kind.reports_lost": ("",
                                "一次状态报告查询的回复在途中丢失（{reason}）；其中完整的 {saved} "
                                "条已保存，其余可能已丢失：已记为缺口（`smstui doctor`）"),
    "error.kind.uplinks_lost": ("",
                                "一次上行回复查询的回复在途中丢失（{reason}）；其中完整的 {saved} "
                                "条已保存，其余可能已丢失：已记为缺口（`smstui doctor`）"),
    "receiver.listening": ("receiving pushes at {url} (give this URL to the gateway's administrator)",
                           "正在接收推送：{url}（请把此地址交给网关管理员）"),
    "receiver.exposed": ("the push receiver listens beyond this machine with neither a token nor an allow-list: "
                         "anyone who can reach {url} can post reports and replies into the store (set [push] token "
                         "or allow in the config)",
                         "推送接收器在本机以外监听，且未设置 token 或 allow 名单：任何能访问 {url} 的人都能向本地数据库"
                         "写入状态报告和上行回复（请在配置的 [push] 中设置 token 或 allow）"),
    "receiver.reports": ("{count} delivery reports arrived ({delivered} delivered)",
                         "收到 {count} 条状态报告（{delivered} 条已送达）"),
    "receiver.reports.one": ("1 delivery report arrived ({delivered} delivered)",
                             "收到 1 条状态报告（{delivered} 条已送达）"),
    "receiver.uplinks": ("{count} replies arrived{optouts}", "收到 {count} 条上行回复{optouts}"),
    "receiver.uplinks.one": ("1 reply arrived{optouts}", "收到 1 条上行回复{optouts}"),
    "receiver.optouts": ("; opted out: {numbers}", "；退订：{numbers}"),
    "receiver.kept": ("a {kind} body could not be read; it was kept for replay ({error})",
                      "有一个 {kind} 回复无法解析，已保存待重放（{error}）"),
    "receiver.gaps": ("{count} queries of a program that stopped may have lost their bodies (`smstui doctor`)",
                      "已停止的程序有 {count} 次查询的回复可能丢失（`smstui doctor`）"),
    "receiver.gaps.one": ("a query of a program that stopped may have lost its body (`smstui doctor`)",
                          "已停止的程序有 1 次查询的回复可能丢失（`smstui doctor`）"),
    "simulator.listening": ("smstui gateway simulator on {url} (seed {seed}, clock {clock})",
                            "smstui 模拟网关：{url}（随机种子 {seed}，时钟 {clock}）"),
    "simulator.accounts": ("accounts (account / password / userid):", "账户（账号 / 密码 / 企业ID）："),
    "simulator.account": ("  {account} / {password} / {userid}: {what}", "  {account} / {password} / {userid}：{what}"),
    "simulator.points": ("{balance} SMS and {mms} MMS points", "短信 {balance} 点、彩信 {mms} 点"),
    "simulator.prepaid": ("prepaid", "预付费"),
    "simulator.postpaid": ("post-paid", "后付费"),
    "simulator.no_templates": ("templates off (1119)", "未开通模板（1119）"),
    "simulator.no_reports": ("may not read reports (error 3)", "不允许查看状态报告（错误 3）"),
    "simulator.no_product": ("no product (1112)", "无产品（1112）"),
    "simulator.no_channel": ("no channel (1106)", "无通道（1106）"),
    "simulator.disabled": ("disabled (1007)", "已停用（1007）"),
    "simulator.push": ("pushes to {url}", "推送到 {url}"),
    "simulator.admin": ("admin API: {url}/_sim/state (README: Simulator admin API); Ctrl-C stops",
                        "管理接口：{url}/_sim/state（见 README 的 Simulator admin API）；按 Ctrl-C 停止"),
    "simulator.join": (", ", "，"),
    "simulator.bad_config": ("simulator: {error}", "模拟网关：{error}"),
    "simulator.cannot_listen": ("simulator: cannot listen on {host}:{port} ({reason})",
                                "模拟网关：无法监听 {host}:{port}（{reason}）"),
}
