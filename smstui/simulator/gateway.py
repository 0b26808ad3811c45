"""The gateway's endpoints as plain functions: parameters in, reply bytes out (no HTTP here)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .. import protocol as p
from ..protocol.errors import BatchFormatError, EncodeError, Text64Error, TmsError
from ..protocol.keyword_reply import keyword_check
from ..protocol.rules import (
    BLACKLISTED,
    MALREG,
    NO_CHANNEL,
    OVERLIMIT,
    RULE_REFUSAL_CODE,
    rule_refusal_message,
)
from ..protocol.tms import check_tms
from .clock import SimClock, after
from .world import Account, Recipient, Task, World

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
GBK_TYPE = "text/xml; charset=gb2312"
OK_MESSAGE = {"long": "操作成功", "short": "ok"}
UNREADABLE_REQUEST = "服务器无法读取请求。"  # what ASP.NET says (in Chinese) about a SOAP body it cannot read


def in_chinese(meaning: str, error: EncodeError) -> str:
    """A refusal in the gateway's words: the code's meaning, then the Chinese detail when there is one."""
    return f"{meaning}：{error.zh}" if error.zh else meaning


@dataclass
class Reply:
    """An HTTP answer: status, content type, body."""

    body: bytes
    content_type: str = XML_TYPE
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class Refusal(Exception):
    """A request the gateway refuses with a result code and its message."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message or p.RESULT_CODES[code].meaning_zh
        self.balance: int | None = None


@dataclass
class SendOrder:
    """A send after its transport was read: who, what, when."""

    account: Account
    mobiles: str
    content: str
    send_time: str
    extno: str
    transport: str
    kind: str = "sms"
    rows: list[p.BatchRow] | None = None
    subject: str = ""
    package: bytes = b""


class Gateway:
    """The endpoints of the vendor document over a World and a clock."""

    def __init__(self, world: World, clock: SimClock) -> None:
        self.world = world
        self.clock = clock
        self.config = world.config
        self._judged: dict[str, tuple[int, str] | None] = {}
        self._exempt = set(self.config.exempt_numbers)
        self._window = timedelta(seconds=self.config.verification_window)

    # -- credentials ---------------------------------------------------------------------------

    def authenticate(self, params: dict[str, str], client_ip: str, plain_only: bool = False) -> Account:
        """The account a request names, after every credential check of the document."""
        name = params.get("account", "") or params.get("username", "")
        password = params.get("password", "")
        if not name:
            raise Refusal(1002, "用户名或密码不能为空")
        if not password:
            raise Refusal(1003, "用户名或密码不能为空")
        account = self.world.accounts.get(name)
        if account is None:
            raise Refusal(1004, "用户名或密码错误")
        if plain_only:
            good = p.soap_password_matches(password, account.password)
        else:
            good = p.password_matches(password, account.password, self.config.accept_plain_password)
        if not good:
            raise Refusal(1005, "用户名或密码错误")
        if not account.config.enabled:
            raise Refusal(1007)
        if account.config.bind_ips and client_ip not in account.config.bind_ips:
            raise Refusal(1006)
        return account

    # -- sending -------------------------------------------------------------------------------

    def send(self, order: SendOrder) -> tuple[Task, int]:
        """Validate and accept a send; returns the task and the accepted count, or raises Refusal."""
        now = self.clock.now()
        self.world.tick(now)
        account = order.account
        if not account.config.has_product:
            raise Refusal(1112)
        if not account.config.has_channel:
            raise Refusal(1106)
        if p.check_extno(order.extno):
            raise Refusal(1104)
        send_at = self._send_time(order, now)
        if order.kind == "batch":
            rows = order.rows or []
            if not rows:
                raise Refusal(1103)
            contents = {row.mobile: row.content for row in rows}
        else:
            numbers = [m.strip() for m in order.mobiles.split(",") if m.strip()]
            if not numbers:
                raise Refusal(1103)
            contents = dict.fromkeys(numbers, order.content)
        for mobile in contents:
            if not p.is_mobile(mobile):
                raise Refusal(1108, f"错误的手机号码({mobile})")
        mms = order.kind == "mms"
        if mms:
            self._check_mms(order)
        else:
            for content in dict.fromkeys(contents.values()):
                self._check_content(content)
        refused = self._refused(contents, send_at)
        refused.update(self._unreachable(contents))
        accepted = [m for m in contents if m not in refused]
        if not accepted:
            raise self._all_refused(refused)
        segments = {m: 1 if mms else p.segments(contents[m]) for m in accepted}
        cost = p.mms_cost(len(accepted)) if mms else sum(segments.values())
        balance = account.mms_balance if mms else account.balance
        if account.config.pay_type == "prepaid" and balance < cost:
            refusal = Refusal(1111)
            refusal.balance = balance
            raise refusal
        account.charge(cost, mms=mms)
        task = Task(
            task_id=self.world.new_task_id(now),
            account=account.name,
            kind=order.kind,
            transport=order.transport,
            created=now,
            send_at=send_at,
            extno=order.extno,
            segments=max(segments.values()),
            cost=cost,
            recipients={m: Recipient(m, contents[m]) for m in contents},
            subject=order.subject,
        )
        self.world.accept(task, refused)
        return task, len(accepted)

    def _send_time(self, order: SendOrder, now: datetime) -> datetime:
        """When a send goes out; a time that cannot be read, or whose reports could not be dated, is refused."""
        parse = p.parse_soap_time if order.transport == "soap" else p.parse_send_time
        try:
            send_at = max(parse(order.send_time) or now, now)
        except ValueError:
            raise Refusal(1001, f"定时时间格式错误({order.send_time})") from None
        except OverflowError:  # 9999-12-31T23:59:59-12:00 is past the last day there is, in Beijing
            send_at = None
        if send_at is None or after(send_at, self.world.horizon) is None:
            raise Refusal(1001, f"定时时间超出范围({order.send_time or f'{now:%Y-%m-%d %H:%M:%S}'})")
        return send_at

    def _unreachable(self, contents: dict[str, str]) -> dict[str, str]:
        """Recipients refused whatever the content: blacklisted numbers, numbers no channel carries."""
        blacklist = set(self.config.blacklist)
        prefixes = tuple(self.config.no_channel_prefixes)
        unreachable = {}
        for mobile in contents:
            if mobile in blacklist:
                unreachable[mobile] = BLACKLISTED
            elif prefixes and mobile.startswith(prefixes):
                unreachable[mobile] = NO_CHANNEL
        return unreachable

    @staticmethod
    def _all_refused(refused: dict[str, str]) -> Refusal:
        """The refusal of a send no recipient of which was accepted."""
        reasons = list(refused.values())
        if MALREG in reasons or OVERLIMIT in reasons:
            return Refusal(RULE_REFUSAL_CODE, rule_refusal_message(MALREG if MALREG in reasons else OVERLIMIT))
        return Refusal(1109 if reasons[0] == BLACKLISTED else 1110)

    def _check_content(self, content: str) -> None:
        refusal = self._content_refusal(content)
        if refusal is not None:
            raise Refusal(*refusal)

    def _content_refusal(self, content: str) -> tuple[int, str] | None:
        """The code and message a content is refused with, or None; the same text is judged once (they repeat)."""
        if content in self._judged:
            return self._judged[content]
        refusal = None
        problems = p.validate_content(
            content, max_length=self.config.max_content_length, require_signature=self.config.require_signature
        )
        code = next((x.code for x in problems if x.blocking and x.code is not None), None)
        if code is not None:
            refusal = (code, p.RESULT_CODES[code].meaning_zh)
        elif found := p.content.find_sensitive(content, self.config.sensitive_words):
            refusal = (2107, p.content.sensitive_message(found))
        if len(self._judged) >= 4096:
            self._judged.clear()
        self._judged[content] = refusal
        return refusal

    def _check_mms(self, order: SendOrder) -> None:
        if not order.subject.strip():
            raise Refusal(3001)
        try:
            parts = check_tms(order.package, self.config.max_mms_bytes)
        except TmsError as exc:
            raise Refusal(1001, in_chinese("彩信内容错误", exc)) from None
        for part in parts:
            if part.name.endswith(".txt"):
                found = p.content.find_sensitive(part.data.decode("gbk", "replace"), self.config.sensitive_words)
                if found:
                    raise Refusal(2107, p.content.sensitive_message(found))

    def _refused(self, contents: dict[str, str], send_at: datetime) -> dict[str, str]:
        refused: dict[str, str] = {}
        for mobile, content in contents.items():
            if mobile in self._exempt:
                continue
            violations = p.check_send_rules(
                mobile,
                content,
                self.world.history.get(mobile, ()),
                send_at,
                verification_limit=self.config.verification_limit,
                verification_window=self._window,
                daily_limit=self.config.daily_limit,
            )
            if violations:
                refused[mobile] = violations[0].error_code
        return refused

    def send_result(self, run) -> p.SendResult:
        """Run a send (or a refusal) and describe it as the gateway's send result."""
        style = self.config.taskid_style
        try:
            task, count = run()
        except Refusal as refusal:
            balance = refusal.balance if refusal.balance is not None else 0
            task_id = "0" if style == "short" else ""
            return p.SendResult(False, self.config.fail_word, refusal.message, balance, task_id, 0)
        account = self.world.accounts[task.account]
        balance = account.mms_balance if task.kind == "mms" else account.balance
        return p.SendResult(True, "Success", OK_MESSAGE[style], balance, task.task_id, count)

    # -- endpoints -----------------------------------------------------------------------------

    def sms(self, params: dict[str, str], ip: str, fmt: str, encoding: str = "utf-8") -> Reply:
        """sms.aspx, smsJson.aspx, smsGBK.aspx: send, overage, checkkeyword."""
        action = params.get("action", "").lower()
        content_type = JSON_TYPE if fmt == "json" else (GBK_TYPE if encoding != "utf-8" else XML_TYPE)
        if action == "overage":
            return Reply(self._balance(params, ip, fmt, encoding, mms=False), content_type)
        if action == "checkkeyword":
            return Reply(self._check_keyword(params, ip, fmt, encoding), content_type)

        def run():
            if action != "send":
                raise Refusal(1001, "action参数错误")
            account = self.authenticate(params, ip)
            transport = {"json": "json"}.get(fmt, "gbk" if encoding != "utf-8" else "xml")
            return self.send(
                SendOrder(
                    account,
                    params.get("mobile", ""),
                    params.get("content", ""),
                    params.get("sendtime", ""),
                    params.get("extno", ""),
                    transport,
                )
            )

        return Reply(p.render_send_result(self.send_result(run), fmt, encoding), content_type)

    def _balance(self, params: dict[str, str], ip: str, fmt: str, encoding: str, mms: bool) -> bytes:
        try:
            account = self.authenticate(params, ip)
        except Refusal as refusal:
            # a refused balance query answers in the send-reply shape (Faild, zeros), as the real server does
            fail = p.SendResult(
                False, self.config.fail_word, refusal.message, 0, "0" if self.config.taskid_style == "short" else "", 0
            )
            return p.render_send_result(fail, fmt, encoding)
        if mms:
            balance = p.make_balance(account.config.pay_type, account.mms_balance, account.mms_send_total(), fmt)
        else:
            balance = p.make_balance(account.config.pay_type, account.balance, account.send_total(), fmt)
        return p.render_balance(balance, fmt, encoding)

    def _check_keyword(self, params: dict[str, str], ip: str, fmt: str, encoding: str) -> bytes:
        try:
            self.authenticate(params, ip)
        except Refusal as refusal:
            result = p.KeywordCheck(False, self.config.fail_word, refusal.message, code=refusal.code)
        else:
            found = p.content.find_sensitive(params.get("content", ""), self.config.sensitive_words)
            result = keyword_check(found, self.config.fail_word, params.get("content", ""))
        return p.render_check_keyword(result, fmt, encoding)

    def encrypted(self, params: dict[str, str], ip: str) -> Reply:
        """ensms.ashx: numeric UserId, Text64 under the account's DES key, Secret and 5-minute Stamp."""

        def reply(code: int, description: str = "", task_id: str = "", amount: int = 0, count: int = 0) -> Reply:
            description = description or p.RESULT_CODES[code].meaning_zh
            return Reply(
                p.render_encrypted_reply(
                    p.EncryptedSendResult(code, description, task_id, amount, count, [] if code == 1 else [description])
                ),
                JSON_TYPE,
            )

        userid = params.get("userid", "").strip()
        if not (userid.isascii() and userid.isdigit()):
            return reply(1008)
        account = self.world.by_userid.get(userid)
        if account is None:
            return reply(1004)
        try:
            fields = p.decode_text64(params.get("text64", ""), account.password)
        except Text64Error as exc:
            return reply(1009, in_chinese(p.RESULT_CODES[1009].meaning_zh, exc))
        if fields.get("UserName") != account.name:
            return reply(1004)
        stamp = fields.get("Stamp", "")
        if not p.stamp_fresh(stamp, self.clock.now()):
            return reply(1010)
        if fields.get("Secret", "").upper() != p.make_secret(account.password, stamp):
            return reply(1005)
        if not account.config.enabled:
            return reply(1007)
        if account.config.bind_ips and ip not in account.config.bind_ips:
            return reply(1006)
        try:
            task, count = self.send(
                SendOrder(
                    account,
                    fields.get("Moblie", ""),
                    fields.get("Text", ""),
                    fields.get("SendTime", ""),
                    fields.get("Ext", ""),
                    "encrypted",
                )
            )
        except Refusal as refusal:
            return reply(refusal.code, refusal.message, amount=account.balance)
        return reply(1, "操作成功", task.task_id, account.balance, count)

    def batch(self, params: dict[str, str], ip: str) -> Reply:
        """BatchSms.ashx: the gzip/base64 point-to-point body."""

        def run():
            if params.get("action", "send").lower() != "send":  # 1.6.2 lists no action; any other than send is wrong
                raise Refusal(1001, "action参数错误")
            account = self.authenticate(params, ip)
            try:
                rows = p.decode_batch(params.get("content", ""))
            except BatchFormatError as exc:
                raise Refusal(1001, in_chinese("内容格式错误", exc)) from None
            return self.send(
                SendOrder(
                    account,
                    "",
                    "",
                    params.get("sendtime", ""),
                    params.get("extno", ""),
                    "batch",
                    kind="batch",
                    rows=rows,
                )
            )

        return Reply(p.render_send_result(self.send_result(run)))

    def mms(self, params: dict[str, str], ip: str) -> Reply:
        """mms.aspx: MMS send (subject, TMS package, MMS balance) and MMS balance."""
        if params.get("action", "").lower() == "overage":
            return Reply(self._balance(params, ip, "xml", "utf-8", mms=True))

        def run():
            if params.get("action", "").lower() != "send":
                raise Refusal(1001, "action参数错误")
            account = self.authenticate(params, ip)
            try:
                package = base64.b64decode(params.get("content", "").replace(" ", "+"), validate=True)
            except (binascii.Error, ValueError):
                raise Refusal(1001, "彩信内容不是有效的base64") from None
            return self.send(
                SendOrder(
                    account,
                    params.get("mobile", ""),
                    "",
                    params.get("sendtime", ""),
                    params.get("extno", ""),
                    "mms",
                    kind="mms",
                    subject=params.get("subject", ""),
                    package=package,
                )
            )

        return Reply(p.render_send_result(self.send_result(run)))

    def soap(self, body: bytes, ip: str) -> Reply:
        """WebService.asmx SendSms (SOAP 1.1 or 1.2)."""
        try:
            request = p.parse_soap_request(body)
        except p.GatewayReplyError:
            return Reply(p.render_soap_fault(UNREADABLE_REQUEST), XML_TYPE, 500)
        ctype = p.soap.content_type(request.version)
        params = {"account": request.user_name, "password": request.password}
        try:
            account = self.authenticate(params, ip, plain_only=True)
            task, count = self.send(
                SendOrder(account, request.msisdns, request.content, request.plan_send_time, request.ext_number, "soap")
            )
        except Refusal as refusal:
            name = p.RESULT_CODES[refusal.code].name
            known = refusal.code not in (1002, 1003, 1004, 1005, 1006, 1007)  # never tell a stranger the balance
            amount = self.world.accounts[request.user_name].balance if known else 0
            result = p.SoapSendResult(name, refusal.message, "", amount, 0, 0, [refusal.message])
            return Reply(p.render_soap_send_result(result, request.version), ctype)
        result = p.SoapSendResult("OK", "操作成功", task.task_id, account.balance, count, task.cost, [])
        return Reply(p.render_soap_send_result(result, request.version), ctype)

    def reports(self, params: dict[str, str], ip: str, fmt: str) -> Reply:
        """statusApi.aspx / statusJsonApi.aspx: the report queue."""
        return self._query(params, ip, fmt, "statusbox")

    def uplinks(self, params: dict[str, str], ip: str, fmt: str) -> Reply:
        """callApi.aspx / callJsonApi.aspx: the uplink queue."""
        return self._query(params, ip, fmt, "callbox")

    def _query(self, params: dict[str, str], ip: str, fmt: str, box: Literal["statusbox", "callbox"]) -> Reply:
        ctype = JSON_TYPE if fmt == "json" else XML_TYPE
        self.world.tick(self.clock.now())
        try:
            account = self.authenticate(params, ip)
        except Refusal as refusal:
            if fmt == "json":
                return Reply(p.render_query_error(refusal.code, refusal.message, fmt, box), ctype)
            # The XML table (4.4, 5.4) has four numbers: a disabled or IP-bound account may not read (3), in its words.
            error = {1002: 1, 1003: 1, 1006: 3, 1007: 3}.get(refusal.code, 2)
            remark = refusal.message if error == 3 else p.codes.QUERY_ERRORS[error][0]
            return Reply(p.render_query_error(error, remark, fmt, box), ctype)
        if params.get("action", "").lower() != "query":
            return Reply(p.render_query_error(4, p.codes.QUERY_ERRORS[4][0], fmt, box), ctype)
        if box == "statusbox" and not account.config.reports_allowed:
            return Reply(p.render_query_error(3, p.codes.QUERY_ERRORS[3][0], fmt, box), ctype)
        limit_text = params.get("statusnum", "").strip() or "1000"
        if not (limit_text.isascii() and limit_text.isdigit()) or int(limit_text) <= 0:
            return Reply(p.render_query_error(4, p.codes.QUERY_ERRORS[4][0], fmt, box), ctype)
        limit = int(limit_text)
        if box == "statusbox":
            items = self.world.take_reports(account.name, limit, params.get("taskid", "").strip())
            return Reply(p.render_reports(items, fmt), ctype)
        return Reply(p.render_uplinks(self.world.take_uplinks(account.name, limit), fmt), ctype)

    def password(self, params: dict[str, str], ip: str) -> Reply:
        """pwd.aspx: change the password (at most 20 characters)."""
        fail = self.config.fail_word
        try:
            account = self.authenticate(params, ip)
        except Refusal as refusal:
            return Reply(p.render_password_reply(p.PasswordResult(False, fail, refusal.message)))
        new = params.get("newpassword", "")
        problem = p.check_new_password(new)
        if problem:
            message = "新密码不能为空" if not new else "新密码最长20位"
            return Reply(p.render_password_reply(p.PasswordResult(False, fail, message)))
        account.password = new
        return Reply(p.render_password_reply(p.PasswordResult(True, "Success", "操作成功")))

    def templates(self, params: dict[str, str], ip: str) -> Reply:
        """freeTemplate.aspx: Add, query, update, del."""
        action = params.get("action", "")

        def reply(ok: bool, code: int, description: str = "", template_id: str = "", templates=()) -> Reply:
            description = description or p.RESULT_CODES.get(code, p.RESULT_CODES[1001]).meaning_zh
            result = p.TemplateReply(ok, "Success" if ok else "Faild", code, description, template_id, list(templates))
            return Reply(p.render_template_reply(result, action), JSON_TYPE)

        try:
            account = self.authenticate(params, ip)
        except Refusal as refusal:
            return reply(False, refusal.code, refusal.message)
        if not account.config.templates_enabled:
            return reply(False, 1119)
        self.world.tick(self.clock.now())
        mine = self.world.templates[account.name]
        template_id = params.get("templateid", "").strip()
        text = params.get("template", "")
        verb = action.lower()
        if verb in ("add", "update"):
            problems = [
                x for x in p.validate_template(text, require_signature=self.config.require_signature) if x.blocking
            ]
            if problems:
                code = problems[0].code or 1001
                return reply(False, code, f"模板格式错误：{problems[0].zh or p.RESULT_CODES[code].meaning_zh}")
            if verb == "update" and template_id not in mine:
                return reply(False, 1001, "模板不存在")
            new_id = self.world.submit_template(account.name, text, self.clock.now(), template_id)
            return reply(True, 1, "操作成功", new_id if verb == "add" else "")
        if verb == "query":
            if template_id and template_id not in mine:
                return reply(False, 1001, "模板不存在")
            found = [mine[template_id]] if template_id else list(mine.values())
            return reply(True, 1, "操作成功", templates=found)
        if verb == "del":
            if mine.pop(template_id, None) is None:
                return reply(False, 1001, "模板不存在")
            return reply(True, 1, "操作成功")
        return reply(False, 1001, "action参数错误")
