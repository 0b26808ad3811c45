"""Failures of the service in the user's language: titles by type, messages by kind, refusals by result code."""

from __future__ import annotations

from typing import Any

from .findings import problem_text
from .strings import Catalog, Strings

STRINGS: Catalog = {
    "error.GatewayRefused": ("Refused by the gateway", "网关拒绝"),
    "error.InvalidInput": ("Invalid input", "输入有误"),
    "error.UnknownOutcome": ("Outcome unknown", "结果未知"),
    "error.BodyLost": ("Reply lost: a gap", "回复丢失：已记为缺口"),
    "error.Unreachable": ("Gateway unreachable", "无法连接网关"),
    "error.ConfigError": ("Configuration error", "配置错误"),
    "error.StoreError": ("Local database error", "本地数据库错误"),
    "error.ServiceError": ("Error", "错误"),
    "error.TakenOver": ("Already taken over", "已被接手"),
    "error.kind.unreachable": ("cannot reach {url}: {reason}", "无法连接 {url}：{reason}"),
    "error.kind.timeout": ("no reply from {url} in time ({reason}); the request may have been processed",
                           "{url} 未及时回复（{reason}）；请求可能已被处理"),
    "error.kind.broken": ("the connection to {url} broke ({reason}); the request may have been processed",
                          "与 {url} 的连接中断（{reason}）；请求可能已被处理"),
    "error.kind.http_path": ("HTTP {status} for {path}: check the profile's base_url ({url})",
                             "{path} 返回 HTTP {status}：请检查配置中的 base_url（{url}）"),
    "error.kind.http_error": ("HTTP {status} from {url}; the request may have been processed",
                              "{url} 返回 HTTP {status}；请求可能已被处理"),
    "error.kind.unreadable": ("the gateway's reply could not be read ({reason}): {raw}; the request may have been "
                              "processed", "无法读取网关的回复（{reason}）：{raw}；请求可能已被处理"),
    "error.kind.html_page": ("an HTML page answered, not the gateway ({page}); the request may have been processed",
                             "回复的是网页而不是网关（{page}）；请求可能已被处理"),
    "error.kind.timeout_query": ("no reply from {url} in time ({reason}); it changes nothing: try again",
                                 "{url} 未及时回复（{reason}）；此操作不改变任何内容，请重试"),
    "error.kind.broken_query": ("the connection to {url} broke ({reason}); it changes nothing: try again",
                                "与 {url} 的连接中断（{reason}）；此操作不改变任何内容，请重试"),
    "error.kind.http_error_query": ("HTTP {status} from {url}; it changes nothing: try again",
                                    "{url} 返回 HTTP {status}；此操作不改变任何内容，请重试"),
    "error.kind.unreadable_query": ("the gateway's reply could not be read ({reason}): {raw}; it changes nothing: "
                                    "try again", "无法读取网关的回复（{reason}）：{raw}；此操作不改变任何内容，请重试"),
    "error.kind.html_page_query": ("an HTML page answered, not the gateway ({page}); it changes nothing: try again",
                                   "回复的是网页而不是网关（{page}）；此操作不改变任何内容，请重试"),
    "error.kind.no_password": ("no password for profile {profile}: set password_env, password_command, password_file "
                               "or password in the config, or SMSTUI_PASSWORD",
                               "配置 {profile} 没有密码：请在配置中设置 password_env、password_command、password_file "
                               "或 password，或设置环境变量 SMSTUI_PASSWORD"),
    "error.kind.config_no_such_profile": ("", "{where} 中没有配置 {name}（已有：{choices}）"),
    "error.kind.config_no_profiles": ("", "{path} 中还没有配置：请按 config.example.toml 创建（`smstui locate config` "
                                          "显示位置），或使用 --base-url 和 --account"),
    "error.kind.config_base_url": ("", "{where}：base_url 必须是网关地址 http:// 或 https://（含主机名，不含 ?、# 或"
                                       "用户名密码），而不是 {url}"),
    "error.kind.config_missing": ("", "{path}：文件不存在"),
    "error.kind.config_not_utf8": ("", "{path}：不是 UTF-8 文本（第 {at} 字节）；请另存为 UTF-8"),
    "error.kind.config_toml": ("", "{path}：不是有效的 TOML（{reason}）"),
    "error.kind.password_elsewhere": ("", "--base-url/--account 指定的是账户 {account}，而不是配置 {profile} 的账户"
                                          "（{own}）：配置的密码绝不会发送到其他账户或主机。请将环境变量 {variable} "
                                          "设为 {account} 的密码（或用 --password-env 指定其他变量）"),
    "error.kind.password_variable": ("", "请将环境变量 {variable} 设为 {account} 的密码"),
    # a file that cannot be read or written: {where} is the file, and its line when there is one
    "file.where": ("{path}, line {line}", "{path} 第 {line} 行"),
    "error.kind.batch_folder": ("", "{where}：是文件夹，不是文件"),
    "error.kind.batch_unreadable": ("", "{where}：无法读取（{why}）"),
    "error.kind.batch_unwritable": ("", "{where}：无法写入（{why}）"),
    "error.kind.batch_empty": ("", "{where}：文件是空的"),
    "error.kind.batch_no_rows": ("", "{where}：文件有表头（{header}）但没有数据行"),
    "error.kind.batch_no_template": ("", "{where}：文件中没有模板"),
    "error.kind.batch_binary": ("", "{where}：不是表格——文件含有二进制数据（图片、PDF 或压缩包？）；"
                                    "请将表格另存为 CSV 或 XLSX"),
    "error.kind.batch_delimiter": ("", "{where}：{delimiter} 不是 smstui 能读的分隔符（逗号、制表符、分号）"),
    "error.kind.batch_one_cell": ("", "{where}：不是表格——这一行只有一个单元格，没有分隔符（逗号、制表符、分号）；"
                                      "批量发送每行需要号码和短信内容"),
    "error.kind.batch_not_table": ("", "{where}：不是表格（{reason}）"),
    "error.kind.batch_bom": ("", "{where}：文件以 {codec} 开头（BOM），但这一行不是 {codec}：请重新保存"),
    "error.kind.batch_encoding": ("", "{where}：不是 UTF-8、UTF-16 或 GB18030（GBK）文本，字节 {byte} 无法读取；"
                                      "请将文件另存为 CSV UTF-8"),
    "error.kind.batch_no_such_encoding": ("", "{where}：smstui 不认识编码 {encoding}"),
    "error.kind.batch_not_encoding": ("", "{where}：这一行不是 {encoding}（字节 {byte}）："
                                          "请选择其他编码，或让 smstui 自动识别"),
    "error.kind.batch_mixed": ("", "{where}：编码混杂——第 {utf8} 行是 UTF-8，这一行不是（GBK？）；"
                                   "请用同一种编码保存整个文件（CSV UTF-8）"),
    "error.kind.batch_no_sheet": ("", "{where}：工作簿中没有工作表"),
    "error.kind.batch_protected": ("", "{where}：工作簿有密码保护：请另存一份不带密码的副本"),
    "error.kind.batch_xls": ("", "{where}：这是 Excel 97–2003（.xls）或有密码保护的工作簿：请另存为 .xlsx（不带密码）"
                                 "或 CSV UTF-8"),
    "error.kind.batch_no_reader": ("", "{where}：读取工作簿需要 python-calamine 或 openpyxl"
                                       "（pip install python-calamine）"),
    "error.kind.batch_workbook": ("", "{where}：不是可读取的 .xlsx 工作簿（{why}）"),
    # settings: the file and table ({where}), the key, what it must be
    "error.kind.config_unknown_key": ("", "{where}：未知的键 {setting}"),
    "error.kind.config_unknown_key_close": ("", "{where}：未知的键 {setting}（是否想写 {close}？）"),
    "error.kind.config_must": ("", "{where}：{setting} 必须是 {expected}，而不是 {value}"),
    "error.kind.config_must_choice": ("", "{where}：{setting} 必须是 {choices} 之一，而不是 {value}"),
    "error.kind.config_must_bool": ("", "{where}：{setting} 必须是 true 或 false，而不是 {value}"),
    "error.kind.config_must_string": ("", "{where}：{setting} 必须是字符串，而不是 {value}"),
    "error.kind.config_must_int": ("", "{where}：{setting} 必须是整数，而不是 {value}"),
    "error.kind.config_must_number": ("", "{where}：{setting} 必须是数字，而不是 {value}"),
    "error.kind.config_must_finite": ("", "{where}：{setting} 必须是有限的数字，而不是 {value}"),
    "error.kind.config_must_at_least": ("", "{where}：{setting} 至少为 {low}，而不是 {value}"),
    "error.kind.config_must_above": ("", "{where}：{setting} 必须大于 {low}，而不是 {value}"),
    "error.kind.config_must_at_most": ("", "{where}：{setting} 最多为 {high}，而不是 {value}"),
    "error.kind.config_must_list": ("", "{where}：{setting} 必须是列表，而不是 {value}"),
    "error.kind.config_must_strings": ("", "{where}：{setting} 必须是字符串列表，而不是 {value}"),
    "error.kind.config_must_table": ("", "{where}：{setting} 必须是由字符串组成的表，而不是 {value}"),
    "error.kind.config_transport": ("", "{where}：transport 必须是 {transports} 之一，而不是 {value}"),
    "error.kind.config_not_table": ("", "{where}：必须是键值表"),
    "error.kind.config_profiles": ("", "{where}：profiles 必须是像 [profiles.prod] 这样的表"),
    "error.kind.config_listen": ("", "{where}：listen 必须是 主机:端口（端口 1–65535），例如 127.0.0.1:8090，"
                                     "而不是 {listen}"),
    "error.kind.config_allow": ("", "{where}：[push] allow 中的 {entry} 不是地址或网段"
                                    "（例如 203.0.113.7 或 203.0.113.0/24）"),
    "error.kind.config_keys": ("", "{where}：[keys] 的值必须是像 \"ctrl+s,f5\" 这样的字符串"),
    "error.kind.config_default_profile": ("", "{where}：default_profile {name} 不是已有的配置（已有：{choices}）"),
    "error.kind.config_language": ("", "{where}：language 必须是 auto、zh 或 en"),
    "error.kind.config_unreadable": ("", "{path}：无法读取（{why}）"),
    "error.kind.password_command_ran": ("", "password_command {command} 无法运行（{why}）"),
    "error.kind.password_command_failed": ("", "password_command {command} 执行失败，退出状态 {status}"),
    "error.kind.password_file": ("", "password_file {path}：无法读取（{why}）"),
    "error.kind.store_password_unset": ("", "没有数据库密码：环境变量 {variable} 未设置"),
    "error.kind.store_password_none": ("", "没有数据库密码：store_password_env、store_password_command 和 "
                                           "store_password_file 都没有给出"),
    "error.kind.receiver_listen": ("", "推送接收无法监听 {address}（{why}）"),
    "error.kind.tls_ca_bundle": ("", "无法用 ca_bundle {bundle} 建立 TLS：{why}"),
    "error.kind.encrypted_userid": ("", "加密接口需要账户的数字企业ID（请在账户配置中填写 userid）"),
    # sends
    "error.kind.send_missing": ("", "本地发送记录中没有发送 {send}"),
    "error.kind.send_other_account": ("", "发送 {send} 属于账户 {theirs}，而不是 {ours}：请使用该账户的配置"),
    "error.kind.resend_too_soon": ("", "这次发送的状态报告可能还会到达：{when}（北京时间；配置中 reconcile_wait = "
                                       "{wait} 秒）之后才能重发。未发送任何内容。"),
    # the local database
    "error.kind.store_no_psycopg": ("", "{where} 是 PostgreSQL 数据库：请安装 smstui[postgres]（psycopg）"),
    "error.kind.store_open": ("", "无法打开数据库 {where}：{why}"),
    "error.kind.store_newer": ("", "{where} 由更新版本的 smstui 写入（数据结构版本 {version}）：请升级 smstui"),
    "error.kind.store_error": ("", "数据库 {where} 出错：{why}"),
    "error.kind.query_error": ("the gateway refused the query (error {error}): {remark}",
                               "网关拒绝了查询（错误 {error}）：{remark}"),
}


def error_text(t: Strings, error: Any) -> str:
    """A service failure for people: its findings by kind, a gateway refusal by its code, else its own words."""
    findings = getattr(error, "findings", None)
    if findings:
        return "; ".join(problem_text(t, finding) for finding in findings)
    code = getattr(error, "code", None)
    kind = str(getattr(error, "kind", ""))
    if code is None and kind and t.has(f"error.kind.{kind}"):
        params = dict(error.params)
        if "path" in params:  # a file's failure: the file, and its line, in these words
            params["where"] = t("file.where", **params) if params.get("line") else params["path"]
        return t.get(f"error.kind.{kind}", error.message, **params)
    return refusal_text(t, code, error.message, getattr(error, "gateway_message", ""))


def error_title(t: Strings, error: Any) -> str:
    """The title of a failure's notification: by its type, the nearest catalogued one (never a KeyError)."""
    for kind in type(error).__mro__:
        key = f"error.{kind.__name__}"
        if t.has(key):
            return t(key)
    return getattr(error, "title", "Error")


def refusal_text(t: Strings, code: int | None, own_words: str, said: str = "") -> str:
    """A refusal by its result code: meaning, what to do, the gateway's own words; `own_words` in English."""
    if t.language != "zh" or code is None:
        return own_words
    from ..protocol import RESULT_CODES
    from ..protocol.codes import remedy_zh

    info = RESULT_CODES.get(code)
    if info is None:
        return own_words
    text = f"{info.code} {info.meaning_zh}。{remedy_zh(code, said)}"
    return f"{text}（网关：{said}）" if said and said != info.meaning_zh else text
