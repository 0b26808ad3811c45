"""The Textual application: areas, header state, global bindings, background events, profile switching."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from ..runtime.locations import log_path
from .areas import AREA_IDS, AREAS
from .launch import Launcher
from .messages import ConnectionChecked, DataChanged, ServiceFailed, ServiceReady
from .strings import Strings, detect_language, localise_bindings
from .strings.words import error_text, error_title
from .widgets.status_line import Status

if TYPE_CHECKING:
    from ..service import SmsService

log = logging.getLogger("smstui.tui")


class SmsApp(App[Any]):
    """smstui: compose, send, track and answer messages on the gateway."""

    CSS_PATH = "app.tcss"
    TITLE = "smstui"
    ENABLE_COMMAND_PALETTE = True
    # Area keys are shown by the area bar above the footer; priority so that Alt+letter never types into a field.
    BINDINGS = [
        *(Binding(",".join(area.keys), f"area('{area.id}')", area.id.title(), id=f"area.{area.id}",
                  key_display=area.key, show=False, priority=True) for area in AREAS),
        Binding("f1", "help", "Help", id="help", key_display="F1"),
        Binding("ctrl+r", "refresh_balance", "Balance", id="balance", show=False,
                tooltip="Ask the gateway for the balance now"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "Palette", id="palette", show=False, priority=True,
                tooltip="Every action, searchable"),
    ]

    status: reactive[Status] = reactive(Status, always_update=True)
    live_counter = True  # the benchmark's baseline switches Compose's counter off

    @dataclass
    class ServiceEvent(Message):
        """An event of the service's bus, brought into the app's message queue."""

        event: object

    def __init__(self, launcher: Launcher, *, language: str = "auto", keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.launcher = launcher
        self.language = detect_language(language)
        self.strings = Strings(self.language)
        self.service: SmsService | None = None
        self.generation = 0  # bumped each time a service opens: screens reload what they show from it
        self._keymap = keymap or {}
        self._unsubscribe: Callable[[], None] | None = None
        self._modes_installed = False

    # -- start, switch, stop ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        from .screens.starting import Starting

        return Starting()

    def on_mount(self) -> None:
        localise_bindings(self, self.strings)
        self.theme = "textual-dark"
        if self._keymap:
            self.set_keymap(self._keymap)
        self.status = Status(demo=self.launcher.demo)
        self.call_after_refresh(self.open_service)  # the first frame first: opening imports and starts servers

    @work(exclusive=True, group="start", exit_on_error=False)
    async def open_service(self, profile: str | None = None) -> None:
        """Open the service of a profile (and, in demo mode, the simulator), then show it."""
        self._stop_listening()
        self.service = None
        service = await self.launcher.open(profile)
        self.service = service
        self._unsubscribe = service.bus.subscribe(self._heard)
        self.post_message(ServiceReady())

    @on(ServiceReady)
    def handle_service_ready(self) -> None:
        service = self.service
        if service is None:
            return
        self.generation += 1
        for warning in service.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if getattr(self.launcher, "announce", False) and self.generation == 1:
            self.notify(self.strings("notify.demo"), timeout=8)
        self.status = Status(service.name, service.client.transport, None, "unknown", self.launcher.demo,
                             self.status.area)
        if not self._modes_installed:
            for area in AREAS:
                self.add_mode(area.id, area.screen)
            self._modes_installed = True
            self.switch_mode("compose")
        elif hasattr(self.screen, "reload"):
            self.screen.reload()
        service.start_pollers(on_error=lambda exc: log.info("poll failed: %s", exc))
        self.refresh_balance()

    def switch_profile(self, name: str) -> None:
        """Close the current profile's service and open another's; drafts on the screens stay."""
        if self.service is not None and name == self.service.name:
            return
        self.status = replace(self.status, profile=name, balance=None, state="unknown")
        self.open_service(name)

    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def action_quit(self) -> None:
        await self.shutdown_service()
        self.exit()

    async def shutdown_service(self) -> None:
        """Stop background work and close the service (and the simulator)."""
        self._stop_listening()
        self.service = None
        await self.launcher.close()

    async def on_unmount(self) -> None:
        await self.shutdown_service()

    # -- areas, balance, header -------------------------------------------------------------------

    def action_area(self, area: str) -> None:
        """Go to an area (not while a dialog asks for an answer or shows a send in progress)."""
        if isinstance(self.screen, ModalScreen):
            self.bell()
            return
        if self._modes_installed and area in AREA_IDS:
            self.switch_mode(area)

    def action_help(self) -> None:
        """Show the keys of the focused widget and the screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def set_area(self, area: str) -> None:
        """The area on screen (for the area bar)."""
        self.status = replace(self.status, area=area)

    def set_transport(self, transport: str) -> None:
        """The transport the next send will use (for the header)."""
        self.status = replace(self.status, transport=transport)

    def set_connection(self, state: str) -> None:
        """What the last call to the gateway told about the connection."""
        self.status = replace(self.status, state=state)

    def action_refresh_balance(self) -> None:
        """Ask the gateway for the balance."""
        self.refresh_balance()

    @work(exclusive=True, group="balance", exit_on_error=False)
    async def refresh_balance(self) -> None:
        """Fetch the balance and the connection state (the balance comes back as a BalanceChanged event)."""
        service = self.service
        if service is None:
            return
        check = await service.check_connection()
        if service is self.service:
            self.post_message(ConnectionChecked(check))

    @on(ConnectionChecked)
    def handle_connection(self, message: ConnectionChecked) -> None:
        check = message.check
        self.set_connection(check.state)
        if check.error is not None:
            self.notify(error_text(self.strings, check.error), title=self.strings(f"conn.{check.state}"),
                        severity="error", timeout=8)

    # -- background events ------------------------------------------------------------------------

    def _heard(self, event: object) -> None:
        """A bus listener (the same loop): the event joins the app's message queue, so handlers stay quick."""
        self.post_message(self.ServiceEvent(event))

    @on(ServiceEvent)
    def handle_service_event(self, message: ServiceEvent) -> None:
        """From the service's bus: the header's figures, one toast per batch of arrivals, lists told to reload."""
        from ..service import BalanceChanged, RawReplyKept, ReportsArrived, UplinksArrived

        event = message.event
        t = self.strings
        if isinstance(event, BalanceChanged):
            if not event.mms and self.service is not None and event.profile == self.service.name:
                self.status = replace(self.status, balance=event.points, state="ok")
        elif isinstance(event, ReportsArrived):
            self.notify(t("notify.reports", count=event.count, delivered=event.delivered), timeout=4)
            self._data_changed("reports")
        elif isinstance(event, UplinksArrived):  # one toast, however many of them are opt-outs
            text = t("notify.uplinks", count=event.count)
            if event.optouts:
                text += " · " + t("notify.optout", count=len(event.optouts))
            self.notify(text, severity="warning" if event.optouts else "information", timeout=5)
            self._data_changed("uplinks")
        elif isinstance(event, RawReplyKept):
            self.notify(t("notify.kept"), severity="warning", timeout=8)

    def _data_changed(self, kind: str) -> None:
        for screen in self.screen_stack:
            screen.post_message(DataChanged(frozenset({kind})))

    # -- failures ---------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        from ..service import ServiceError

        error = event.worker.error
        if isinstance(error, ServiceError):
            self.post_message(ServiceFailed(error, event.worker.group))
            return
        log.error("unexpected failure in %s", event.worker.name, exc_info=error)
        self.notify(self.strings("notify.unexpected", path=log_path()), severity="error", timeout=8)
        if event.worker.group == "start" and not self._modes_installed:
            self.exit(return_code=2, message=self.strings("exit.start", error=error))

    @on(ServiceFailed)
    def handle_failure(self, message: ServiceFailed) -> None:
        if message.context == "start" and not self._modes_installed:
            self.exit(return_code=2, message=self.strings("exit.start", error=message.error.message))
            return
        self.notify(error_text(self.strings, message.error), title=error_title(self.strings, message.error),
                    severity="error", timeout=10)

    # -- command palette --------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """The command palette, asking in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=self.strings("palette.placeholder"), id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        t = self.strings  # Textual's own (theme, maximize, screenshot…) would speak English only: ours instead
        yield SystemCommand(t("cmd.help"), t("cmd.help.help"), self.action_help)
        yield SystemCommand(t("cmd.quit"), t("cmd.quit.help"), self.action_quit)
        for area in AREA_IDS:
            yield SystemCommand(t("cmd.go", area=t(f"area.{area}")), t("cmd.go.help", area=t(f"area.{area}")),
                                lambda a=area: self.action_area(a))
        yield SystemCommand(t("cmd.balance"), t("cmd.balance.help"), self.action_refresh_balance)
        current = self.service.name if self.service else ""
        for name in self.launcher.profiles():
            if name != current:
                yield SystemCommand(t("cmd.profile", name=name), t("cmd.profile.help", name=name),
                                    lambda n=name: self.switch_profile(n))
        for title, help_text, callback in getattr(screen, "commands", lambda: ())():
            yield SystemCommand(title, help_text, callback)
