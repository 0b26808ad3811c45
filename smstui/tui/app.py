"""The Textual application: areas, header state, global bindings, background events."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..service import ServiceError, SmsService
from ..service.events import RawReplyKept, ReportsArrived, SendProgress, UplinksArrived
from .i18n import Strings, detect_language, localise_bindings
from .launch import Launcher
from .messages import BalanceUpdated, SendProgressed, ServiceEvent, ServiceFailed, ServiceReady
from .widgets.status_line import Status

log = logging.getLogger("smstui.tui")
AREAS = ("compose", "batch", "mms", "reports", "inbox", "templates", "account")


class SmsApp(App):
    """smstui: compose, send, track and answer messages on the gateway."""

    CSS_PATH = "app.tcss"
    TITLE = "smstui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f2,alt+1", "area('compose')", "Compose", id="area.compose", key_display="F2"),
        Binding("f3,alt+2", "area('batch')", "Batch", id="area.batch", key_display="F3"),
        Binding("f4,alt+3", "area('mms')", "MMS", id="area.mms", key_display="F4"),
        Binding("f5,alt+4", "area('reports')", "Reports", id="area.reports", key_display="F5"),
        Binding("f6,alt+5", "area('inbox')", "Inbox", id="area.inbox", key_display="F6"),
        Binding("f7,alt+6", "area('templates')", "Templates", id="area.templates", key_display="F7"),
        Binding("f8,alt+7", "area('account')", "Account", id="area.account", key_display="F8"),
        Binding("ctrl+r", "refresh_balance", "Balance", id="balance", show=False,
                tooltip="Ask the gateway for the balance now"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    status: reactive[Status] = reactive(Status, always_update=True)
    live_counter = True

    def __init__(self, launcher: Launcher, *, language: str = "auto", log_path: Path | None = None,
                 keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.launcher = launcher
        self.language = detect_language(language)
        self.strings = Strings(self.language)
        self.service: SmsService | None = None
        self.log_path = log_path
        self._keymap = keymap or {}
        self._unsubscribe = None

    # -- start and stop ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from .screens.starting import Starting

        return Starting()

    def on_mount(self) -> None:
        localise_bindings(self, self.strings)
        self.theme = "textual-dark"
        if self._keymap:
            self.set_keymap(self._keymap)
        self.status = Status(demo=self.launcher.demo)
        self.start_service()

    @work(exclusive=True, group="start", exit_on_error=False)
    async def start_service(self) -> None:
        """Open the service (and the demo's simulator), then show Compose."""
        service = await self.launcher.open()
        self.service = service
        self._unsubscribe = service.bus.subscribe(self._on_service_event)
        self.post_message(ServiceReady())

    @on(ServiceReady)
    def handle_service_ready(self) -> None:
        assert self.service is not None
        for warning in self.service.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.status = Status(self.service.name, self.service.client.transport, None, "unknown", self.launcher.demo)
        self._install_modes()
        self.switch_mode("compose")
        self.service.start_pollers(on_error=lambda exc: log.info("poll failed: %s", exc))
        self.refresh_balance()

    def _install_modes(self) -> None:
        from .screens.account import AccountScreen
        from .screens.compose import ComposeScreen
        from .screens.lists import InboxScreen, ReportsScreen
        from .screens.soon import ComingSoon

        self.add_mode("compose", ComposeScreen)
        self.add_mode("reports", ReportsScreen)
        self.add_mode("inbox", InboxScreen)
        self.add_mode("account", AccountScreen)
        for area in ("batch", "mms", "templates"):
            self.add_mode(area, lambda area=area: ComingSoon(area))

    async def action_quit(self) -> None:
        await self.shutdown_service()
        self.exit()

    async def shutdown_service(self) -> None:
        """Stop background work and close the service (and the simulator)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.launcher.close()
        self.service = None

    async def on_unmount(self) -> None:
        if self.service is not None:
            await self.shutdown_service()

    # -- areas, balance, header -------------------------------------------------------------------

    def action_area(self, area: str) -> None:
        """Go to an area."""
        if self.service is not None and area in AREAS:
            self.switch_mode(area)

    def set_area(self, area: str) -> None:
        """Show the current area in the header."""
        self.status = Status(self.status.profile, self.status.transport, self.status.balance, self.status.state,
                             self.status.demo, self.strings(f"area.{area}") if area else "")

    def action_refresh_balance(self) -> None:
        """Ask the gateway for the balance."""
        self.refresh_balance()

    @work(exclusive=True, group="balance", exit_on_error=False)
    async def refresh_balance(self) -> None:
        """Fetch the balance and the connection state."""
        if self.service is None:
            return
        check = await self.service.check_connection()
        self.post_message(BalanceUpdated(check.balance, check.state, check.message))

    @on(BalanceUpdated)
    def handle_balance(self, message: BalanceUpdated) -> None:
        balance = message.balance.balance if message.balance is not None else self.status.balance
        self.status = Status(self.status.profile, self.status.transport, balance, message.state, self.status.demo,
                             self.status.area)
        if message.state not in ("ok", "unknown"):
            self.notify(message.detail, title=self.strings(f"conn.{message.state}"), severity="error", timeout=8)

    # -- background events ------------------------------------------------------------------------

    def _on_service_event(self, event: object) -> None:
        """From the service's bus (same loop): turn events into messages and toasts; never steal focus."""
        t = self.strings
        if isinstance(event, SendProgress):
            self.post_message(SendProgressed(event))
        elif isinstance(event, ReportsArrived):
            self.notify(t("notify.reports", count=event.count, delivered=event.delivered), timeout=4)
        elif isinstance(event, UplinksArrived):
            self.notify(t("notify.uplinks", count=event.count), timeout=5)
            if event.optouts:
                self.notify(t("notify.optout", count=len(event.optouts)), severity="warning", timeout=6)
        elif isinstance(event, RawReplyKept):
            self.notify(t("notify.kept"), severity="warning", timeout=8)
        if isinstance(event, (ReportsArrived, UplinksArrived)):
            for screen in self.screen_stack:
                screen.post_message(ServiceEvent(event))

    # -- failures ---------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, ServiceError):
            self.post_message(ServiceFailed(error, event.worker.group))
            return
        path = self.log_path or _default_log_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            logging.basicConfig(filename=path, level=logging.INFO)
            log.exception("unexpected failure in %s", event.worker.name, exc_info=error)
        except OSError:
            pass
        self.notify(self.strings("notify.unexpected", path=path), severity="error", timeout=8)
        if event.worker.group == "start":
            self.exit(return_code=2, message=f"smstui could not start: {error}")

    @on(ServiceFailed)
    def handle_failure(self, message: ServiceFailed) -> None:
        if message.context == "start":
            self.exit(return_code=2, message=f"smstui: {message.error.message}")
            return
        self.notify(message.error.message, title=message.error.title, severity="error", timeout=10)

    # -- command palette --------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        t = self.strings
        for area in AREAS:
            yield SystemCommand(f"go: {t(f'area.{area}')}", f"Open the {area} area", lambda a=area: self.action_area(a))
        yield SystemCommand("account: refresh balance", "Ask the gateway for the balance now", self.action_refresh_balance)


def _default_log_path() -> Path:
    from ..service.config import state_dir

    return state_dir() / "smstui.log"
