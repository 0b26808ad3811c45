"""The one send flow every area mounts: debounced check → confirm → plan → progress → result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from ...service import Job, Preflight, SendHandle, SendOutcome, ServiceError
from ...service.resuming import Resumable, resumable_sends
from ..messages import ServiceFailed
from ..screens.ask import Ask
from .confirm import ConfirmSend
from .progress import SendProgressScreen
from .reconcile import ReconcileScreen
from .result import SendResultScreen

if TYPE_CHECKING:
    from ..app import SmsApp

CHECK_DELAY = 0.4  # seconds after the last change before the draft is checked against the store


class SendFlow(Widget):
    """A non-visual widget: an area asks it to check a job as the user types, and to send it."""

    DEFAULT_CSS = "SendFlow { display: none; }"

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    @dataclass
    class Checked(Message):
        """The preflight of the latest job (None when the job cannot be checked: see `error`)."""

        flow: SendFlow
        preflight: Preflight | None
        error: ServiceError | None = None

    @dataclass
    class Sent(Message):
        """A send of this flow ended (its outcome may hold refusals or unknown parts)."""

        flow: SendFlow
        outcome: SendOutcome

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._pending: Job | None = None
        self.busy = False

    # -- checking while the user types -------------------------------------------------------------

    def check(self, job: Job | None) -> None:
        """Check a job shortly after typing stops (a newer job replaces the pending one); None forgets it."""
        self._pending = job
        if job is None:
            return
        # One timer for the flow's life, pushed back on every keystroke: a timer per key costs a task per key.
        if self._timer is None:
            self._timer = self.set_interval(CHECK_DELAY, self._due, pause=True)
        self._timer.reset()
        self._timer.resume()

    def _due(self) -> None:
        if self._timer is not None:
            self._timer.pause()
        job, self._pending = self._pending, None
        if job is not None:
            self._preflight(job)

    @work(exclusive=True, group="send-flow-check", exit_on_error=False)
    async def _preflight(self, job: Job) -> None:
        service = self.app.service
        if service is None:
            return
        try:
            found = await service.preflight(job)
        except ServiceError as exc:
            self.post_message(self.Checked(self, None, exc))
            return
        self.post_message(self.Checked(self, found))

    # -- sending -----------------------------------------------------------------------------------

    def send(self, job: Job) -> None:
        """Check with a fresh balance, ask, journal, send with progress, show the result; nothing goes out unasked."""
        if self.busy:
            self.app.bell()
            return
        self._send(job)

    # Each step is a short worker, and the dialogs answer through callbacks: no worker waits on the user.

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _send(self, job: Job) -> None:
        service = self.app.service
        if service is None:
            self.app.post_message(ServiceFailed(ServiceError(self.app.strings("why.switching")), "send"))
            return
        self.busy = True
        try:
            preflight = await service.preflight(job, fresh=True)
        except ServiceError as exc:
            self.busy = False
            self.app.post_message(ServiceFailed(exc, "send"))
            return
        self.post_message(self.Checked(self, preflight))
        self.app.push_screen(ConfirmSend(preflight), lambda override: self._confirmed(preflight, override))

    def _confirmed(self, preflight: Preflight, override: bool | None) -> None:
        if override is None:
            self.busy = False
            return
        self._run(preflight, override)

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _run(self, preflight: Preflight, override: bool) -> None:
        service = self.app.service
        try:
            if service is None:
                raise ServiceError(self.app.strings("why.switching"))
            handle = await service.plan(preflight, override_held=override)
        except ServiceError as exc:
            self.busy = False
            self.app.post_message(ServiceFailed(exc, "send"))
            return
        await self._carry(handle)

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _go(self, handle: SendHandle) -> None:
        await self._carry(handle)

    async def _carry(self, handle: SendHandle) -> None:
        """Send a journaled send with its progress dialog, then show its result (the flow is busy until then)."""
        app = self.app
        service = app.service
        try:
            if service is None:
                raise ServiceError(app.strings("why.switching"))
            progress = SendProgressScreen(handle)
            stop_listening = service.bus.subscribe(_progress_of(handle.send_id, progress.post_message))
            await app.push_screen(progress)
            try:
                outcome = await service.run(handle)
            finally:
                stop_listening()
                if app.screen is progress:
                    app.pop_screen()
        except ServiceError as exc:
            app.post_message(ServiceFailed(exc, "send"))
            return
        finally:
            self.busy = False
        self.post_message(self.Sent(self, outcome))
        app.data_changed("sends")
        app.push_screen(SendResultScreen(outcome), lambda step: self._after_result(outcome.send_id, step))

    def _after_result(self, send_id: str, step: str | None) -> None:
        if step is not None:
            self._next_step(send_id, step)

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _next_step(self, send_id: str, step: str) -> None:
        """What the result dialog offered and the user chose: send the curable refusals again, reconcile, resume."""
        service = self.app.service
        if service is None:
            return
        if step == "again":
            job = await service.refused_job(send_id)
            if job is not None:
                self.send(job)
        elif step == "reconcile":
            self.reconcile(send_id)
        elif step == "resume":
            self.resume(send_id)

    # -- resuming ----------------------------------------------------------------------------------

    def resume(self, send_id: str) -> None:
        """Send what a stopped send did not, once the user says so: never a chunk twice, held numbers still held."""
        if self.busy:
            self.app.bell()
            return
        self.busy = True
        self._resume(send_id)

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _resume(self, send_id: str) -> None:
        app = self.app
        t = app.strings
        found: Resumable | None = None
        try:
            if app.service is not None:
                found = next((r for r in await resumable_sends(app.service) if r.send_id == send_id), None)
        except ServiceError as exc:
            self.busy = False
            app.post_message(ServiceFailed(exc, "send"))
            return
        if found is None:
            self.busy = False
            app.notify(t("resume.nothing", send=send_id), timeout=6)
            return
        body = t("resume.body", send=send_id, created=found.created, count=f"{found.rows_waiting:,}",
                 cost=f"{found.cost_waiting:,}", done=found.done, total=found.total)
        if found.unknown:
            body += "\n" + t("resume.doubt", count=found.unknown)
        app.push_screen(Ask(t("resume.title"), body, t("resume.yes"), t("resume.no")),
                        lambda yes: self._resume_answered(found, yes))

    def _resume_answered(self, found: Resumable, yes: bool | None) -> None:
        if yes:
            self._go(found.handle)
        else:
            self.busy = False

    def reconcile(self, send_id: str) -> None:
        """Decide from delivery reports what a send in doubt reached; a re-send goes through this flow."""
        self.app.push_screen(ReconcileScreen(send_id), lambda choice: self._reconciled(send_id, choice))

    def _reconciled(self, send_id: str, choice: str | None) -> None:
        if choice == "resend":
            self._resend(send_id)
        elif choice == "close":
            self._close(send_id)

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _close(self, send_id: str) -> None:
        """The user checked the numbers still in doubt by hand: the send is closed, nothing re-sent."""
        service = self.app.service
        if service is not None:
            closed = await service.close_in_doubt(send_id)
            self.app.notify(self.app.strings("reconcile.closed", send=send_id, count=closed), timeout=6)
            self.app.data_changed("sends")

    @work(exclusive=True, group="send-flow", exit_on_error=False)
    async def _resend(self, send_id: str) -> None:
        """The numbers no report confirmed, sent through the same flow (confirmation included)."""
        service = self.app.service
        if service is None:
            return
        job = await service.resend_job(send_id)
        if job is not None:
            self.send(job)


def _progress_of(send_id: str, post: Callable[[Message], Any]) -> Callable[[object], None]:
    """A bus listener that passes on the progress of one send, by its id, to the dialog showing it."""
    from ...service import SendProgress

    def listen(event: object) -> None:
        if isinstance(event, SendProgress) and event.send_id == send_id:
            post(SendProgressScreen.Progressed(event))

    return listen

