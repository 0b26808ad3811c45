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
        return t.get(f"error.kind.{kind}", error.message, **error.params)
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
