"""Why a report failed: the upstream `errorcode` of a report, in buckets a support engineer can act on.

The document says the code is the upstream gateway's and "only a reference" (不同网关返回值不同): these are the codes
China's carriers and their gateways commonly return (CMPP/SGIP/SMGP), and the gateway's own refusals. A code not
known here is kept and shown as it came, in the `unknown` bucket.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import BLACKLISTED, MALREG, NO_CHANNEL, OVERLIMIT

BUCKETS = ("delivered", "empty", "off", "blacklist", "frequency", "content", "operator", "unknown")


@dataclass(frozen=True, slots=True)
class CodeMeaning:
    """A report code's bucket and what it means, in English and Chinese."""

    bucket: str
    english: str
    chinese: str


_EXACT = {
    "DELIVRD": CodeMeaning("delivered", "delivered to the handset", "已送达手机"),
    "UNDELIV": CodeMeaning("empty", "undeliverable: often an empty or cancelled number", "无法送达：多为空号或销号"),
    "EXPIRED": CodeMeaning("off", "expired: the handset stayed off or out of reach",
                           "超时未送达：手机长时间关机或不在服务区"),
    "DELETED": CodeMeaning("operator", "deleted by the carrier before delivery", "被运营商删除"),
    "REJECTD": CodeMeaning("operator", "rejected by the carrier", "被运营商拒绝"),
    "REJECT": CodeMeaning("operator", "rejected by the carrier", "被运营商拒绝"),
    "UNKNOWN": CodeMeaning("unknown", "the carrier did not say", "运营商未说明原因"),
    "MK:0001": CodeMeaning("empty", "empty number (空号)", "空号"),
    "MK:0005": CodeMeaning("off", "the handset is switched off", "关机"),
    "MK:0012": CodeMeaning("off", "the line is suspended (停机)", "停机"),
    "MK:0013": CodeMeaning("empty", "the number does not exist", "号码不存在"),
    "MK:0004": CodeMeaning("blacklist", "on the carrier's blacklist", "运营商黑名单"),
    "MK:0015": CodeMeaning("frequency", "too many messages to this number", "发送频率超限"),
    "DB:0141": CodeMeaning("blacklist", "on the carrier's blacklist", "运营商黑名单"),
    "DB:0107": CodeMeaning("frequency", "too many messages to this number", "发送频率超限"),
    "BLACK": CodeMeaning("blacklist", "on the gateway's blacklist", "网关黑名单"),
    "KEYWORD": CodeMeaning("content", "refused for a sensitive word", "含敏感词被拦截"),
    "SIGNBLOCKED": CodeMeaning("content", "the signature is blocked", "签名被屏蔽"),
    "BEYONDM": CodeMeaning("frequency", "over the per-minute limit for this number", "超过每分钟发送上限"),
    "BEYONDH": CodeMeaning("frequency", "over the per-hour limit for this number", "超过每小时发送上限"),
    "BEYONDD": CodeMeaning("frequency", "over the daily limit for this number", "超过每日发送上限"),
    BLACKLISTED: CodeMeaning("blacklist", "on the gateway's blacklist", "网关黑名单"),
    NO_CHANNEL: CodeMeaning("operator", "no channel carries this number", "无可用通道"),
    MALREG: CodeMeaning("frequency", "more than 3 verification codes in 3 minutes (恶意注册)",
                        "3 分钟内验证码超过 3 条"),
    OVERLIMIT: CodeMeaning("frequency", "more than 10 messages today (超限)", "今日超过 10 条"),
}
_PREFIXES = {  # carrier families: MK/MI/MN (the handset side), MA/MB/CB/DB/ID/LT (the network side)
    "MK:": CodeMeaning("operator", "refused by the carrier's handset side", "运营商侧（终端）返回失败"),
    "MI:": CodeMeaning("operator", "refused by the carrier's network", "运营商网络返回失败"),
    "MN:": CodeMeaning("off", "the handset could not be reached", "手机不可达"),
    "MA:": CodeMeaning("operator", "refused by the carrier's SMS centre", "运营商短信中心返回失败"),
    "MB:": CodeMeaning("operator", "refused by the carrier's SMS centre", "运营商短信中心返回失败"),
    "CB:": CodeMeaning("operator", "refused by the carrier's gateway", "运营商网关返回失败"),
    "DB:": CodeMeaning("operator", "refused by the carrier's gateway", "运营商网关返回失败"),
    "ID:": CodeMeaning("operator", "refused by the carrier's gateway", "运营商网关返回失败"),
    "LT:": CodeMeaning("frequency", "a carrier limit was reached", "触发运营商限制"),
}


def code_meaning(code: str) -> CodeMeaning:
    """What a report's errorcode means and its bucket; an unknown code is `unknown`, said as it came."""
    key = code.strip().upper()
    if key in _EXACT:
        return _EXACT[key]
    for prefix, meaning in _PREFIXES.items():
        if key.startswith(prefix):
            return meaning
    return CodeMeaning("unknown", f"code {code or '(none)'} (not explained by the carrier)",
                       f"代码 {code or '（无）'}（运营商未说明）")


def failure_bucket(code: str, delivered: bool) -> str:
    """The bucket of a report: `delivered` for a delivered one, else its code's (a failure coded DELIVRD: unknown)."""
    if delivered:
        return "delivered"
    bucket = code_meaning(code).bucket
    return "unknown" if bucket == "delivered" else bucket
