"""Account: balances, pay type, total; password change; profile; connection check."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ... import protocol as p
from ...service import ServiceError
from ..messages import ConnectionChecked, PasswordChanged, ServiceFailed
from .base import AreaScreen


class AccountScreen(AreaScreen):
    """What the account has and can do."""

    AREA = "account"
    CSS_PATH = "account.tcss"
    BINDINGS = [Binding("alt+k", "check", "Check connection", id="account.check")]

    def compose_body(self) -> ComposeResult:
        t = self.app.strings
        with Vertical(id="account"):
            yield Static(id="balances")
            with Horizontal(classes="row"):
                yield Button(t("account.check"), id="check")
                yield Static(id="check-result")
            yield Label(t("account.password"), classes="section")
            with Horizontal(classes="row"):
                yield Input(placeholder=t("account.new"), password=True, max_length=p.password_reply.MAX_PASSWORD_LENGTH,
                            id="new", compact=True)
                yield Input(placeholder=t("account.again"), password=True,
                            max_length=p.password_reply.MAX_PASSWORD_LENGTH, id="again", compact=True)
                yield Button(t("account.change"), id="change")
            yield Static(id="password-result")
            yield Static(id="profile")

    def on_mount(self) -> None:
        super().on_mount()
        service = self.app.service
        t = self.app.strings
        self.query_one("#profile", Static).update(Text.assemble(
            (f"{t('account.profile')}: ", "dim"), service.name, ("  │  ", "dim"),
            "built-in simulator" if service.demo else service.profile.base_url,
            ("  │  ", "dim"), service.profile.account))
        self.load()

    @work(exclusive=True, group="account", exit_on_error=False)
    async def load(self) -> None:
        """Fetch SMS and MMS balances."""
        service = self.app.service
        try:
            sms = await service.balance()
            mms = await service.balance(mms=True)
        except ServiceError as exc:
            self.post_message(ServiceFailed(exc, "account"))
            return
        t = self.app.strings
        text = Text()
        for label, value in ((t("account.balance"), f"{sms.balance:,}"), (t("account.mms"), f"{mms.balance:,}"),
                             (t("account.paytype"), f"{sms.pay_type} ({sms.pay_info})"),
                             (t("account.total"), f"{sms.send_total:,}")):
            text.append(f"{label}: ", style="dim")
            text.append(f"{value}\n", style="bold")
        text.rstrip()
        self.query_one("#balances", Static).update(text)

    @on(ServiceFailed)
    def handle_failure(self, message: ServiceFailed) -> None:
        self.query_one("#balances", Static).update(Text(message.error.message, style="red"))

    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        """Tell apart unreachable, wrong credentials, disabled and OK."""
        self.check()

    @work(exclusive=True, group="check", exit_on_error=False)
    async def check(self) -> None:
        """Run the connection check."""
        self.post_message(ConnectionChecked(await self.app.service.check_connection()))

    @on(ConnectionChecked)
    def handle_checked(self, message: ConnectionChecked) -> None:
        check = message.check
        style = "green" if check.state == "ok" else "red"
        self.query_one("#check-result", Static).update(
            Text(f"{self.app.strings(f'conn.{check.state}')} — {check.message}", style=style))

    @on(Button.Pressed, "#change")
    def handle_change_pressed(self) -> None:
        new = self.query_one("#new", Input).value
        again = self.query_one("#again", Input).value
        result = self.query_one("#password-result", Static)
        if new != again:
            result.update(Text(self.app.strings("account.mismatch"), style="red"))
            return
        problem = p.check_new_password(new)
        if problem:
            result.update(Text(problem, style="red"))
            return
        self.change_password(new)

    @work(exclusive=True, group="password", exit_on_error=False)
    async def change_password(self, new: str) -> None:
        """Change the password on the gateway."""
        try:
            await self.app.service.change_password(new)
        except ServiceError as exc:
            self.query_one("#password-result", Static).update(Text(exc.message, style="red"))
            return
        self.post_message(PasswordChanged())

    @on(PasswordChanged)
    def handle_password_changed(self) -> None:
        for field in ("#new", "#again"):
            self.query_one(field, Input).value = ""
        self.query_one("#password-result", Static).update(Text(self.app.strings("account.changed"), style="green"))
