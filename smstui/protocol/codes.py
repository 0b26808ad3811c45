"""The gateway's result codes (chapter 10) with meanings and remedies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResultCode:
    """One result code: number, name, meaning in Chinese and English, what to do."""

    code: int
    name: str
    meaning_zh: str
    meaning_en: str
    remedy: str
    remedy_zh: str = ""


def _codes(*rows: tuple[int, str, str, str, str, str]) -> dict[int, ResultCode]:
    return {row[0]: ResultCode(*row) for row in rows}


RESULT_CODES: dict[int, ResultCode] = _codes(
    (1, "OK", "操作成功", "success", "Nothing to do.", "无需处理。"),
    (1001, "ParamError", "参数错误", "a parameter is wrong", "Check the request's fields; report it if smstui built it.", "请检查请求参数；若由 smstui 生成，请报告问题。"),
    (1002, "UserNameEmpty", "用户名为空", "the account name is empty", "Set the account in the profile.", "请在账户配置中填写账号。"),
    (1003, "PasswordEmpty", "密码为空", "the password is empty", "Set the password (SMSTUI_PASSWORD, password_command or password_file).", "请设置密码（SMSTUI_PASSWORD、password_command 或 password_file）。"),
    (1004, "UserNameError", "用户名错误", "unknown account name", "Check the account name with the gateway's administrator.", "请向网关管理员核实账号名。"),
    (1005, "PasswordError", "密码错误", "wrong password", "Check the password; it may have been changed.", "请检查密码；可能已被修改。"),
    (1006, "BindIpError", "IP绑定错误", "this address is not bound to the account", "Ask the administrator to bind this server's public IP address.", "请管理员绑定本服务器的公网 IP。"),
    (1007, "UserStop", "帐户已停用", "the account is disabled", "Ask the gateway's administrator to re-enable the account.", "请网关管理员重新启用该账户。"),
    (1008, "UserIdError", "UserId参数错误，该值必需要是数字，由供应商提供。", "UserId must be the numeric enterprise id", "Set the numeric userid given by the vendor.", "请填写供应商提供的数字企业 ID（userid）。"),
    (1009, "Text64Error", "Text64参数错误", "Text64 is not valid (base64, DES or JSON)", "Check the password: the DES key is made from it.", "请检查密码：DES 密钥由密码生成。"),
    (1010, "StampError", "时间戳错误", "bad stamp or clock skew over 5 minutes", "Correct this machine's clock (use NTP).", "请校正本机时钟（使用 NTP）。"),
    (2001, "ContentEmpty", "内容为空", "the content is empty", "Type the message text.", "请输入短信内容。"),
    (1103, "MsisdnEmpty", "手机号码为空", "no mobile number", "Add at least one recipient.", "请至少添加一个收信号码。"),
    (1104, "ExtNumberError", "扩展错误", "bad extension number", "Use at most 5 digits, or leave extno empty if the channel has none.", "扩展号最多 5 位数字；通道不支持时请留空。"),
    (2105, "ContentLong", "内容太长", "the content is too long", "Shorten the message.", "请缩短短信。"),
    (1106, "NoChannel", "没有发送通道", "no sending channel", "Ask the administrator to configure a channel.", "请管理员配置发送通道。"),
    (2107, "SensitiveWords", "敏感词汇", "the content contains sensitive words", "Remove or rephrase the word the gateway names.", "请删除或改写网关指出的词语。"),
    (1108, "MsisdnError", "错误的手机号码", "a malformed mobile number", "Correct the number: 11 digits starting with 13–19.", "请修正号码：13–19 开头的 11 位数字。"),
    (1109, "MsisdnBlack", "黑名单的手机号码", "the number is blacklisted", "Remove the number; it cannot receive messages.", "请删除该号码；它无法接收短信。"),
    (1110, "MsisdnNoChannel", "没有通道的手机号码", "no channel for this number", "Ask the administrator about a channel for this carrier.", "请向管理员咨询该运营商的通道。"),
    (1111, "AmountNotEnough", "额度不足", "balance too low", "Top up the account, or send to fewer recipients.", "请充值，或减少收信人数。"),
    (1112, "NoProduct", "没有配置产品", "no product configured", "Ask the administrator to configure a product.", "请管理员配置产品。"),
    (2113, "RequiredSuffix", "需要签名", "a signature is required", "End the message with 【your signature】 (3–8 characters).", "请在结尾加上【签名】（3–8 个字）。"),
    (2114, "SuffixError", "签名错误", "the signature is invalid", "Use one 【signature】 of 3–8 characters at the end.", "请在结尾使用一个 3–8 个字的【签名】。"),
    (3001, "SubjectEmpty", "主题为空", "the MMS subject is empty", "Type a subject for the MMS.", "请填写彩信主题。"),
    (9999, "InternalError", "系统内部错误", "gateway internal error", "Try again later; if it persists, contact the vendor.", "请稍后重试；持续出现请联系供应商。"),
    (1119, "FeatureDisabled", "未启用该功能", "the template feature is not enabled", "Ask the administrator to enable interface templates.", "请管理员开通接口报备功能。"),
)

CODES_BY_NAME: dict[str, ResultCode] = {rc.name.lower(): rc for rc in RESULT_CODES.values()}

# Report and uplink queries answer with their own small error table (chapters 4.4 and 5.4).
QUERY_ERRORS: dict[int, tuple[str, str, int | None]] = {
    1: ("用户名或密码不能为空", "account or password empty", 1003),
    2: ("用户名或密码错误", "wrong account or password", 1005),
    3: ("该用户不允许查看状态报告", "this account may not read reports", None),
    4: ("参数不正确", "a parameter is wrong", 1001),
}

# Phrases the gateway writes in `message` for failures, longest first, mapped to their code.
_MESSAGE_PHRASES: tuple[tuple[str, int], ...] = tuple(
    sorted(
        [(rc.meaning_zh, rc.code) for rc in RESULT_CODES.values() if rc.code != 1]
        + [
            ("用户名或密码不能为空", 1003),
            ("用户名或密码错误", 1005),
            ("密码错误", 1005),
            ("密码错了", 1005),
            ("余额不足", 1111),
            ("敏感词", 2107),
            ("包含非法字符", 2107),
            ("黑名单", 1109),
            ("签名", 2114),
            ("停用", 1007),
            ("内容为空", 2001),
            ("号码为空", 1103),
            ("主题为空", 3001),
        ],
        key=lambda pair: -len(pair[0]),
    )
)


# Refusals a later send of the same message can get past: money, the administrator's settings, a passing fault.
# (Content refusals such as 2107 or 2113 need a changed message; a bad number stays bad.)
CURABLE = frozenset({1006, 1007, 1010, 1106, 1110, 1111, 1112, 9999})


def curable(code: int | None) -> bool:
    """Whether numbers refused with this code may be sent again unchanged once the cause is fixed."""
    return code in CURABLE


def lookup(code: int | str | None) -> ResultCode | None:
    """The ResultCode for a number or name (`1111`, `"AmountNotEnough"`), or None."""
    if code is None:
        return None
    if isinstance(code, int):
        return RESULT_CODES.get(code)
    text = str(code).strip()
    if text.lstrip("-").isdigit():
        return RESULT_CODES.get(int(text))
    return CODES_BY_NAME.get(text.lower())


def code_for_message(message: str) -> int | None:
    """The result code a gateway failure message stands for, when it names one."""
    for phrase, code in _MESSAGE_PHRASES:
        if phrase in message:
            return code
    return None


def remedy(code: int | None, message: str = "") -> str:
    """What the user should do about a refusal; a sending rule named in the message wins over the code's remedy."""
    from .rules import RULE_REMEDIES

    for word, advice in RULE_REMEDIES.items():
        if word in message:
            return advice
    rc = RESULT_CODES.get(code) if code is not None else None
    return rc.remedy if rc else ""


def remedy_zh(code: int | None, message: str = "") -> str:
    """What the user should do, in Chinese; a sending rule named in the message wins over the code's remedy."""
    from .rules import RULE_REMEDIES_ZH

    for word, advice in RULE_REMEDIES_ZH.items():
        if word in message:
            return advice
    rc = RESULT_CODES.get(code) if code is not None else None
    return rc.remedy_zh if rc else ""


def describe(code: int | None, message: str = "") -> str:
    """One line for people: code, name, meaning, remedy and the gateway's own words."""
    rc = RESULT_CODES.get(code) if code is not None else None
    if rc is None:
        advice = remedy(None, message)
        text = f"the gateway refused: {message}" if message else "the gateway refused"
        return f"{text}. {advice}" if advice else text
    text = f"{rc.code} {rc.name}: {rc.meaning_en}. {remedy(code, message)}"
    return f"{text} (gateway: {message})" if message and message != rc.meaning_zh else text
