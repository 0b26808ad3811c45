"""The Textual application: areas, header state, global bindings, background events, profile switching."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ..runtime.locations import log_path
from ..words import detect_language, error_text, error_title
from .areas import AREA_IDS, AREAS
from .launch import Launcher
from .messages import ConnectionChecked, DataChanged, ServiceFailed, ServiceReady
from .palette import Commands, PaletteCommand
from .strings import Strings, localise_bindings
from .widgets.status_line import Status

if TYPE_CHECKING:
    from ..service import ServiceError, SmsService

log = logging.getLogger("smstui.tui")
DATA_KINDS = ("reports", "uplinks", "optouts", "sends")
OPTOUT_TOAST_EVERY = 15.0  # seconds: opt-outs that arrive meanwhile are summed into the next toast, not one each
STORE_PROBE = 0.5  # seconds between looks for rows another process (or host, on a team's store) committed


def connection_state(error: ServiceError) -> str:
    """The header's connection state a failure calls for."""
    from ..service import GatewayRefused, Unreachable

    if isinstance(error, Unreachable):
        return "unreachable"
    if isinstance(error, GatewayRefused) and error.code in (1002, 1003, 1004, 1005):
        return "credentials"
    if isinstance(error, GatewayRefused) and error.code == 1007:
        return "disabled"
    return "error"


class SmsApp(App[Any]):
    """smstui: compose, send, track and answer messages on the gateway."""

    CSS_PATH = "app.tcss"
    TITLE = "smstui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {Commands}  # ours instead of Textual's system commands, which speak English only
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

    @dataclass
    class PollTold(Message):
        """How a background poll went (None: well): the header's connection state follows it."""

        error: ServiceError | None

        def can_replace(self, message: Message) -> bool:
            """Only the latest poll matters."""
            return isinstance(message, SmsApp.PollTold)

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
        self.versions: Counter[str] = Counter()  # bumped as rows of a kind reach the store (reports, uplinks, …)
        self._working_profile = ""  # the last profile that opened: a failed switch goes back to it
        self._optouts_unsaid = 0
        self._optout_window: Timer | None = None

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
        self.set_interval(STORE_PROBE, self.probe_store)

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
        self._working_profile = service.name
        self.versions.update(DATA_KINDS)  # a new service: every area shows its rows
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
        service.start_pollers(told=self._poll_told)
        self.refresh_recovery()
        if service.config.push.in_tui and not self.launcher.demo:
            self.start_receiver()
        self.refresh_balance()

    @work(exclusive=True, group="receiver", exit_on_error=False)
    async def start_receiver(self) -> None:
        """Run the push receiver in this process ([push] in_tui = true), so pushes reach the screens at once."""
        service = self.service
        if service is not None:
            url = await service.start_push_receiver()
            self.notify(self.strings("notify.receiver", url=url), timeout=8)
            if service.receiver is not None and service.receiver.exposed:
                self.notify(self.strings("notify.exposed", url=url), severity="warning", timeout=20)

    def _poll_told(self, error: ServiceError | None) -> None:
        self.post_message(self.PollTold(error))

    @on(PollTold)
    def handle_poll(self, message: PollTold) -> None:
        error = message.error
        if error is None:
            if self.status.state != "ok":
                self.set_connection("ok")
            return
        log.info("poll failed: %s", error)
        self.refresh_recovery()  # the query may have lost its body: a gap for the header
        if error.params.get("error") != 3:  # an account that may not read reports still answers
            self.set_connection(connection_state(error))

    @work(exclusive=True, group="probe", exit_on_error=False)
    async def probe_store(self) -> None:
        """Rows another process stored (a push receiver, a script) reach the screens within seconds."""
        service = self.service
        if service is not None and await service.store.changed_elsewhere():
            self.data_changed(*DATA_KINDS)

    def switch_profile(self, name: str) -> None:
        """Close the current profile's service and open another's; drafts on the screens stay."""
        if self.service is not None and name == self.service.name:
            return
        self.status = replace(self.status, profile=name, balance=None, state="unknown")
        self.open_service(name)

    def running_send(self) -> bool:
        """Whether a send of any area is in progress."""
        from .sending import SendFlow

        return any(flow.busy for screen in self.screen_stack for flow in screen.query(SendFlow))

    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def action_quit(self) -> None:
        """Quit; while a send runs, ask first (it stops after the requests in flight, `resume` sends the rest)."""
        if self.running_send():
            from .screens.quit import QuitWhileSending

            if not isinstance(self.screen, QuitWhileSending):
                self.push_screen(QuitWhileSending(), self._quit_answered)
            return
        await self.shutdown_service()
        self.exit()

    def _quit_answered(self, stop: bool | None) -> None:
        if stop:
            self.stop_and_quit()

    @work(exclusive=True, group="quit", exit_on_error=False)
    async def stop_and_quit(self) -> None:
        """Stop every send after the requests in flight, wait for them, then quit."""
        if self.service is not None:
            self.service.cancel_all()
        while self.running_send():
            await asyncio.sleep(0.05)
        await self.shutdown_service()
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a field): say how to, in the user's language."""
        self.notify(self.strings("notify.quit_hint"), title=self.strings("notify.quit_title"), timeout=4)

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

    def compose_with(self, numbers: str | None = None, content: str | None = None,
                     select: tuple[int, int] | None = None) -> None:
        """Go to Compose with numbers and/or content filled in (a reply to a thread, a template to use)."""
        from .screens.compose import ComposeScreen

        self.action_area("compose")
        screen = self.screen
        if isinstance(screen, ComposeScreen):
            screen.call_after_refresh(screen.prefill, numbers, content, select)

    def action_help(self) -> None:
        """smstui's own help: the keys of every area, the current one first (F1 or Esc closes it)."""
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.status.area))

    def set_area(self, area: str) -> None:
        """The area on screen (for the area bar); entering Reports or Inbox counts their new rows as seen."""
        status = replace(self.status, area=area)
        if area == "reports":
            status = replace(status, new_reports=0)
        elif area == "inbox":
            status = replace(status, new_replies=0)
        self.status = status

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
        from ..service import BalanceChanged, GapsFound, RawReplyKept, ReportsArrived, SendProgress, UplinksArrived

        event = message.event
        t = self.strings
        if isinstance(event, BalanceChanged):
            if not event.mms and self.service is not None and event.profile == self.service.name:
                self.status = replace(self.status, balance=event.points, state="ok")
        elif isinstance(event, ReportsArrived):  # counted in the header, not toasted: polls bring them all day
            if self.status.area != "reports":
                self.status = replace(self.status, new_reports=self.status.new_reports + event.count)
            self.data_changed("reports")
        elif isinstance(event, UplinksArrived):
            if self.status.area != "inbox":
                self.status = replace(self.status, new_replies=self.status.new_replies + event.count)
            if event.optouts:  # people who asked to stop: worth a word at once, but one toast per window, not a wall
                self._optouts_unsaid += len(event.optouts)
                if self._optout_window is None:
                    self._say_optouts()
            self.data_changed("uplinks", "optouts")
        elif isinstance(event, SendProgress):
            return
        elif isinstance(event, RawReplyKept):
            self.notify(t("notify.kept"), severity="warning", timeout=8)
        elif isinstance(event, GapsFound):
            self.notify(t.count("notify.gaps", event.count), severity="warning", timeout=10)
            self.refresh_recovery()

    def _say_optouts(self) -> None:
        """Toast the opt-outs not yet told, then hold further toasts for a window (ending with what came in it)."""
        if not self._optouts_unsaid:
            self._optout_window = None
            return
        self.notify(self.strings.count("notify.optout", self._optouts_unsaid), severity="warning", timeout=6)
        self._optouts_unsaid = 0
        self._optout_window = self.set_timer(OPTOUT_TOAST_EVERY, self._say_optouts)

    def data_changed(self, *kinds: str) -> None:
        """Rows of these kinds reached the store: the area on screen reloads once (hidden areas when shown)."""
        self.versions.update(kinds)
        self.screen.post_message(DataChanged(frozenset(kinds)))
        if "sends" in kinds or "reports" in kinds:
            self.refresh_recovery()

    @work(exclusive=True, group="recovery", exit_on_error=False)
    async def refresh_recovery(self) -> None:
        """How many sends are in doubt and how many queries may have lost their bodies (for the header)."""
        service = self.service
        if service is not None:
            found = await service.recovery()
            self.status = replace(self.status, in_doubt=len(found.in_doubt), gaps=len(found.gaps))

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
            self.exit(return_code=2, message=self.strings("exit.start", error=error_text(self.strings, message.error)))
            return
        if message.context == "start" and self.service is None and self._working_profile:
            self.notify(self.strings("notify.switch_back", name=self._working_profile), timeout=8)
            self.switch_profile(self._working_profile)  # a profile that cannot open: back to the one that works
        self.notify(error_text(self.strings, message.error), title=error_title(self.strings, message.error),
                    severity="error", timeout=10)
        self.refresh_recovery()  # a failed query or send may have left a gap or a send in doubt

    # -- command palette --------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """The command palette, asking in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=self.strings("palette.placeholder"), id="--command-palette"))

    def palette_commands(self, screen: Screen[object]) -> Iterable[PaletteCommand]:
        """Every command of the palette: the app's, then the screen's."""
        yield PaletteCommand("cmd.help", "cmd.help.help", self.action_help, "F1")
        yield PaletteCommand("cmd.quit", "cmd.quit.help", self.action_quit, "Ctrl+Q")
        for area in AREAS:
            yield PaletteCommand("cmd.go", "cmd.go.help", partial(self.action_area, area.id), area.key,
                                 {"area": f"area.{area.id}"})
        yield PaletteCommand("cmd.balance", "cmd.balance.help", self.action_refresh_balance, "Ctrl+R")
        current = self.service.name if self.service else ""
        for name in self.launcher.profiles():
            if name != current:
                yield PaletteCommand("cmd.profile", "cmd.profile.help", partial(self.switch_profile, name),
                                     values={"name": name})
        yield from getattr(screen, "commands", lambda: ())()
