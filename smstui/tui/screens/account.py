"""Account: balances, pay type, total; connection check; password change; switch profile."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from ... import protocol as p
from ...service import ServiceError
from ...words import error_text
from ..messages import ConnectionChecked
from ..palette import PaletteCommand
from ..styles import ERROR, MUTED, SUCCESS, WARNING, Lines
from .base import AreaScreen
from .modal import Dialog


class AccountScreen(AreaScreen):
    """What the account has and can do."""

    AREA = "account"
    CSS_PATH = "account.tcss"
    BINDINGS = [Binding("alt+k", "check", "Check", id="account.check", key_display="Alt+K", priority=True,
                        tooltip="Tell apart unreachable, wrong credentials, disabled and OK")]

    @dataclass
    class Loaded(Message):
        """SMS and MMS balances of the account."""

        sms: p.Balance
        mms: p.Balance

    @dataclass
    class LoadFailed(Message):
        """The balances could not be read."""

        error: ServiceError

    class Checked(ConnectionChecked):
        """The answer of this screen's connection check (the app's own check posts the app-wide message)."""

    @dataclass
    class PasswordChanged(Message):
        """The gateway accepted the new password."""

    @dataclass
    class PasswordFailed(Message):
        """The gateway (or the connection) refused the password change."""

        error: ServiceError

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with VerticalScroll(id="account"):
            yield Static(id="balances")
            with Horizontal(classes="row"):
                yield Button(t("account.check"), id="check", compact=True)
            yield Static(id="check-result")
            yield Label(t("account.password"), classes="section")
            with Horizontal(classes="row"):
                yield Input(placeholder=t("account.new"), password=True, id="new", compact=True)
                yield Input(placeholder=t("account.again"), password=True, id="again", compact=True)
                yield Button(t("account.change"), id="change", compact=True)
            yield Static(id="password-result")
            yield Label(t("account.profile"), classes="section")
            with Horizontal(classes="row"):
                names = self.app.launcher.profiles()
                yield Select([(name, name) for name in names], id="profiles", compact=True, allow_blank=not names)
                yield Button(t("account.switch"), id="switch", compact=True)
            yield Static(id="profile")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """Show the open profile and load its balances."""
        super().reload()
        service = self.app.service
        if service is None:
            return
        t = self.app.strings
        self.query_one("#profile", Static).update(Content.assemble(
            t("account.demo") if service.demo else service.profile.base_url, ("  │  ", MUTED),
            f"{t('account.name')} {service.profile.account}", ("  │  ", MUTED),
            f"{t('account.userid')} {service.profile.userid or '—'}"))
        select = self.query_one("#profiles", Select)
        if service.name in self.app.launcher.profiles():
            select.value = service.name
        self.query_one("#check-result", Static).update("")
        self.query_one("#password-result", Static).update("")
        self.load()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load()  # balances move with every send: never show yesterday's

    def commands(self) -> list[PaletteCommand]:
        """Account actions in the command palette."""
        return [PaletteCommand("cmd.check", "cmd.check.help", self.action_check, "Alt+K"),
                PaletteCommand("cmd.password", "cmd.password.help", lambda: self.query_one("#new", Input).focus())]

    @work(exclusive=True, group="account", exit_on_error=False)
    async def load(self) -> None:
        """Fetch SMS and MMS balances."""
        service = self.app.service
        if service is None:  # a profile is being opened: it will reload
            return
        try:
            sms = await service.balance()
            mms = await service.balance(mms=True)
        except ServiceError as exc:
            self.post_message(self.LoadFailed(exc))
            return
        self.post_message(self.Loaded(sms, mms))

    @on(Loaded)
    def handle_loaded(self, message: Loaded) -> None:
        t = self.app.strings
        sms, mms = message.sms, message.mms
        pay = t(f"pay.{sms.pay_type}") if sms.pay_type in ("prepaid", "postpaid") else sms.pay_info
        total = t("account.recharged") if sms.pay_type == "prepaid" else t("account.used")
        rows = Lines().rows([(t("account.balance"), _points(sms.balance)), (t("account.mms"), _points(mms.balance)),
                             (t("account.paytype"), pay), (total, _points(sms.send_total))], t("colon"))
        self.query_one("#balances", Static).update(rows.content())

    @on(LoadFailed)
    def handle_failure(self, message: LoadFailed) -> None:
        self.query_one("#balances", Static).update(Content.styled(error_text(self.app.strings, message.error),
                                                                  ERROR))

    # -- connection check -------------------------------------------------------------------------

    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        """Tell apart unreachable, wrong credentials, disabled and OK."""
        self.query_one("#check-result", Static).update(Content.styled(self.app.strings("account.checking"), MUTED))
        self.check()

    @work(exclusive=True, group="check", exit_on_error=False)
    async def check(self) -> None:
        """Run the connection check."""
        service = self.app.service
        if service is not None:
            self.post_message(self.Checked(await service.check_connection(limits=True)))

    @on(Checked)
    def handle_checked(self, message: Checked) -> None:
        check = message.check
        t = self.app.strings
        if check.balance is not None:
            detail = t("account.connected", balance=_points(check.balance.balance))
        else:
            detail = error_text(t, check.error)
        lines = Lines().line(f"{t(f'conn.{check.state}')} — {detail}", SUCCESS if check.state == "ok" else ERROR)
        for limit in check.limits:
            lines.line(f"! {t(f'account.limit.{limit}')}", WARNING)
        self.query_one("#check-result", Static).update(lines.content())
        self.app.set_connection(check.state)

    # -- password ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#change")
    @on(Input.Submitted, "#again")
    def handle_change(self) -> None:
        t = self.app.strings
        new = self.query_one("#new", Input).value
        again = self.query_one("#again", Input).value
        result = self.query_one("#password-result", Static)
        if new != again:
            result.update(Content.styled(t("account.mismatch"), ERROR))
            return
        if not new:
            result.update(Content.styled(t("account.empty"), ERROR))
            return
        if p.check_new_password(new):
            result.update(Content.styled(t("account.rule", length=len(new), most=p.password_reply.MAX_PASSWORD_LENGTH),
                                         ERROR))
            return
        doubt = t("account.non_ascii") if p.password_doubt(new) else ""
        self.app.push_screen(ConfirmPassword(self.account_name(), doubt), lambda yes: self._confirmed(new, yes))

    def account_name(self) -> str:
        """The account and where it lives, as the confirmation names it."""
        service = self.app.service
        if service is None:
            return ""
        where = self.app.strings("account.demo") if service.demo else service.profile.base_url
        return f"{service.profile.account} ({where})"

    def _confirmed(self, new: str, yes: bool | None) -> None:
        if yes:
            self.query_one("#password-result", Static).update(Content.styled(self.app.strings("account.changing"),
                                                                             MUTED))
            self.change_password(new)

    @on(Input.Changed, "#new")
    @on(Input.Changed, "#again")
    def handle_retyped(self, event: Input.Changed) -> None:
        if event.value:  # an old complaint must not stay while the user retypes (emptied fields keep the result)
            self.query_one("#password-result", Static).update("")

    @on(Input.Submitted, "#new")
    def handle_new_submitted(self) -> None:
        self.query_one("#again", Input).focus()

    @work(exclusive=True, group="password", exit_on_error=False)
    async def change_password(self, new: str) -> None:
        """Change the password on the gateway."""
        service = self.app.service
        if service is None:
            return
        try:
            await service.change_password(new)
        except ServiceError as exc:
            self.post_message(self.PasswordFailed(exc))
            return
        self.post_message(self.PasswordChanged())

    @on(PasswordChanged)
    def handle_password_changed(self) -> None:
        t = self.app.strings
        for field in ("#new", "#again"):
            self.query_one(field, Input).value = ""
        note = t("account.changed") if self.app.launcher.demo else t("account.changed.update")
        self.query_one("#password-result", Static).update(Content.styled(note, SUCCESS))

    @on(PasswordFailed)
    def handle_password_failed(self, message: PasswordFailed) -> None:
        self.query_one("#password-result", Static).update(Content.styled(error_text(self.app.strings, message.error),
                                                                         ERROR))

    # -- profiles ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#switch")
    def handle_switch(self) -> None:
        name = self.query_one("#profiles", Select).value
        if isinstance(name, str):
            self.query_one("#balances", Static).update(Content.styled(self.app.strings("account.switching", name=name),
                                                                      MUTED))
            self.app.switch_profile(name)


def _points(value: int | float | None) -> str:
    """A balance for people: thousands separated, `?` when the gateway left it out."""
    return "?" if value is None else f"{value:,}"


class ConfirmPassword(Dialog[bool]):
    """Asks once before the password changes, naming the account (the old one stops working at once)."""

    CSS_PATH = "../sending/sending.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="password.cancel")]

    def __init__(self, account: str, doubt: str = "") -> None:
        super().__init__()
        self.account = account
        self.doubt = doubt

    def compose(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="dialog"):
            yield Static(t("account.confirm_title", account=self.account), classes="title")
            body = Lines().line(t("account.confirm_body"), WARNING)
            if self.doubt:
                body.line(self.doubt, WARNING)
            yield Static(body.content(), id="password-body")
            with Horizontal(classes="buttons"):
                yield Button(t("account.confirm_yes"), id="yes", variant="warning")
                yield Button(t("account.confirm_no"), id="no", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Keep the password."""
        self.dismiss(False)
