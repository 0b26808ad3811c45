"""The one service the TUI and the CLI call: a profile's client, store, sender, pollers and receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import protocol as p
from .balance import Balances
from .client import GatewayClient
from .config import AppConfig, Profile, plain_http, profile_password
from .desk import Desk
from .errors import GatewayRefused, InvalidInput, ServiceError, TakenOver, UnknownOutcome, Unreachable
from .events import EventBus
from .ingest import DrainResult, Ingestor
from .pollers import Poller
from .push_receiver import PushReceiver, build_push_app
from .resuming import Resumable, resumable_sends
from .secrets import Secret
from .sending import Job, Preflight, ReconcileResult, SendContext, Sender, SendHandle, SendOutcome, SendSettings
from .store import Gap, Store, StoredReport, StoredUplink, UnfinishedSend

if TYPE_CHECKING:
    from .templates import TemplateBook

ConnectionState = Literal["ok", "unreachable", "credentials", "disabled", "error"]
RECONCILE_RETRIES = 3  # a report query that took nothing (a 503, an error page) is tried again before giving up


@dataclass(frozen=True)
class Recovery:
    """What a support engineer must look at: sends in doubt, gaps (bodies maybe lost), kept and waiting bodies,
    sends a stop or a crash left part-way."""

    in_doubt: list[UnfinishedSend]
    gaps: list[Gap]
    kept: int
    waiting: int
    stopped: list[Resumable] = field(default_factory=list)

    @property
    def clear(self) -> bool:
        """Whether nothing needs the user."""
        return not (self.in_doubt or self.gaps or self.kept or self.waiting or self.stopped)


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to 'can this profile work?': ok, unreachable, wrong credentials, account disabled, other."""

    state: ConnectionState
    message: str
    balance: p.Balance | None = None
    error: ServiceError | None = None  # what failed, when something did (its code says it in any language)
    limits: tuple[str, ...] = ()  # what the account may not do: "reports", "templates"


class SmsService:
    """Everything a profile can do, async, with typed results and typed failures."""

    def __init__(self, config: AppConfig, profile: Profile, password: Secret, store: Store, *,
                 clock: Callable[[], datetime] = p.beijing_now, demo: bool = False,
                 send_ids: Callable[[], str] | None = None, **client_overrides: Any) -> None:
        self.config = config
        self.profile = profile
        self.store = store
        self.demo = demo
        self.clock = clock
        self.bus = EventBus()
        self.client = GatewayClient.for_profile(profile, password, clock=clock, **client_overrides)
        self.balances = Balances(profile.name, self.bus, clock)
        settings = SendSettings(profile.chunk_size, profile.batch_rows, profile.concurrency, profile.retries,
                                require_signature=profile.require_signature,
                                max_content_length=profile.max_content_length, reconcile_wait=profile.reconcile_wait,
                                shared_account=profile.shared_account,
                                lease=profile.connect_timeout + profile.read_timeout + 60)
        context = SendContext(profile.account_key, self.client, store, self.bus, self.balances, clock, settings)
        if send_ids is not None:
            context.new_id = send_ids
        self.sender = Sender(context)
        self.ingestor = Ingestor(profile.account_key, store, self.bus, profile.optout_words)
        self.reports_poller = Poller("reports", self.client, self.ingestor)
        self.uplinks_poller = Poller("uplinks", self.client, self.ingestor)
        self._pollers: list[asyncio.Task[None]] = []
        self.receiver: PushReceiver | None = None
        self.recovered = DrainResult()  # what opening replayed and found cut off
        self.desk = Desk(store, profile.account_key, clock)  # the lists, breakdowns and exports of Reports and Inbox

    @classmethod
    async def open(cls, config: AppConfig, profile_name: str | None = None, *, store_path: Path | str | None = None,
                   password: Secret | None = None, clock: Callable[[], datetime] = p.beijing_now,
                   **kwargs: Any) -> SmsService:
        """Open the service of a profile: its password, the store (migrated), the client."""
        profile = config.profile(profile_name)
        if password is None:
            password = profile_password(config, profile)
        location = store_path or config.database_path()
        secret = config.database_password() if str(location).startswith(("postgresql:", "postgres:")) else None
        store = await Store(location, clock=clock, password=secret).open()
        service = cls(config, profile, password, store, clock=clock, **kwargs)
        await store.adopt(profile.name, profile.account_key)  # rows a store kept under the profile's name
        if plain_http(profile.base_url) and await store.first_notice(profile.account_key, "plain-http"):
            config.warnings.append(f"profile {profile.name}: {profile.base_url} is plain http://, so the password's "
                                   "MD5 form (which the gateway accepts as the password) travels in clear; use "
                                   "https:// if the gateway offers it (said once per account)")
        await store.crashed_inflight(profile.account_key)
        service.recovered = await service.recover()
        return service

    async def close(self) -> None:
        """Stop background work and close the client and the store."""
        await self.stop_background()
        await self.client.aclose()
        await self.store.close()

    async def __aenter__(self) -> SmsService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def name(self) -> str:
        """The profile's name."""
        return self.profile.name

    @property
    def key(self) -> str:
        """The account the store keeps this profile's history under (host and account, not the profile's name)."""
        return self.profile.account_key

    @property
    def warnings(self) -> list[str]:
        """Things the user should know (loose file permissions, TLS verification off)."""
        found = list(self.config.warnings)
        if not self.client.tls_verified and self.profile.base_url.lower().startswith("https://"):
            found.append(f"profile {self.name}: TLS certificate verification is OFF (verify_tls = false)")
        return found

    # -- account ----------------------------------------------------------------------------------

    async def balance(self, mms: bool = False) -> p.Balance:
        """The SMS (or MMS) balance from the gateway; remembered in `balances`, told on the bus."""
        balance = await self.client.balance(mms=mms)
        self.balances.seen(balance, mms)
        return balance

    async def check_connection(self, limits: bool = False) -> ConnectionCheck:
        """Tell apart unreachable, wrong credentials, a disabled account and OK; with `limits`, also find what an
        account that answers may not do (read reports, use templates)."""
        try:
            balance = await self.balance()
        except Unreachable as exc:
            return ConnectionCheck("unreachable", exc.message, error=exc)
        except UnknownOutcome as exc:
            return ConnectionCheck("error", exc.message, error=exc)
        except GatewayRefused as exc:
            if exc.code in (1002, 1003, 1004, 1005):
                return ConnectionCheck("credentials", exc.message, error=exc)
            if exc.code == 1007:
                return ConnectionCheck("disabled", exc.message, error=exc)
            return ConnectionCheck("error", exc.message, error=exc)
        found = await self._limits() if limits else ()
        return ConnectionCheck("ok", f"connected; balance {balance.balance}", balance, limits=found)

    async def _limits(self) -> tuple[str, ...]:
        """What the account may not do: `reports` (the gateway's report error 3), `templates` (1119)."""
        found = []
        try:
            await self.drain_reports()  # a report query hands reports out once: they are stored, not dropped
        except GatewayRefused as exc:
            if exc.params.get("error") == 3:
                found.append("reports")
        except ServiceError:
            pass
        try:
            await self.templates()
        except GatewayRefused as exc:
            if exc.code == 1119:
                found.append("templates")
        except ServiceError:
            pass
        return tuple(found)

    async def change_password(self, new_password: str) -> p.PasswordResult:
        """Change the account's password on the gateway (the config is not rewritten)."""
        return await self.client.change_password(new_password)

    # -- sending ----------------------------------------------------------------------------------

    async def preflight(self, job: Job, *, fresh: bool = False) -> Preflight:
        """Check a send and find who would be held back (InvalidInput if it cannot go); `fresh` first asks the
        gateway for the balance (one cheap call) so the confirmation weighs the cost against today's figure."""
        preflight = await self.sender.planner.preflight(job, self.balances.of(job.mms))
        if not fresh:
            return preflight
        try:
            await self.balance(mms=job.mms)
        except ServiceError:  # the send itself will say what is wrong; the confirmation shows the last figure
            return preflight
        return replace(preflight, balance=self.balances.of(job.mms), balance_fresh=True)

    async def plan(self, preflight: Preflight, *, override_held: bool = False) -> SendHandle:
        """Journal a send (nothing goes out yet); its handle names the send from the first moment."""
        return await self.sender.planner.plan(preflight, override_held)

    async def run(self, handle: SendHandle | str) -> SendOutcome:
        """Send what a planned (or stopped) send has not sent; progress goes out on the bus as SendProgress."""
        if isinstance(handle, str):
            return await self.sender.runner.run(handle)
        outcome = await self.sender.runner.run(handle.send_id)
        outcome.held = list(handle.held)
        return outcome

    async def send(self, preflight: Preflight, *, override_held: bool = False) -> SendOutcome:
        """Plan and run a send in one call."""
        return await self.run(await self.plan(preflight, override_held=override_held))

    async def outcome(self, send_id: str) -> SendOutcome:
        """A send's outcome as the journal has it now."""
        return await self.sender.runner.outcome(send_id)

    def cancel(self, send_id: str) -> None:
        """Stop a send after the requests in flight (before it starts: it sends nothing)."""
        self.sender.runner.cancel(send_id)

    def cancel_all(self) -> None:
        """Stop every running send (and any about to start) after the requests in flight."""
        self.sender.runner.cancel_all()

    @property
    def mms_limit(self) -> int:
        """The most bytes a packed MMS may hold on this profile's gateway (max_mms_bytes)."""
        return self.profile.max_mms_bytes

    async def unfinished(self) -> list[UnfinishedSend]:
        """Sends that still have unsent chunks or unknown outcomes."""
        return await self.store.unfinished_sends(self.key)

    async def resume(self, send_id: str | None = None) -> list[SendOutcome]:
        """Send what a stopped send did not (never what the gateway accepted, never an unknown chunk)."""
        ids = [send_id] if send_id else [s.id for s in await self.unfinished() if s.waiting]
        return [await self.sender.runner.run(i) for i in ids]

    async def reconcile(self, send_id: str, *, accept_gaps: bool = False) -> list[ReconcileResult]:
        """Drain reports (a query that took nothing is tried again; a lost body is a gap, and a failure ends here:
        deciding on stale reports could re-send), then decide who was sent."""
        await self.drain_reports(retries=RECONCILE_RETRIES)
        return await self.sender.reconciler.reconcile(send_id, accept_gaps)

    async def close_in_doubt(self, send_id: str) -> int:
        """The user checked the numbers still in doubt by hand: close the send (nothing is re-sent)."""
        await self.sender.ctx.own_send(send_id)
        return await self.sender.reconciler.close(send_id, "closed by the user after checking by hand")

    async def resend_job(self, send_id: str, *, accept_gaps: bool = False) -> Job | None:
        """After reconciling (reports drained first): a job for the numbers no report confirmed, once reports had
        time to come (InvalidInput before); None when every number is decided."""
        await self.drain_reports(retries=RECONCILE_RETRIES)
        return await self.sender.reconciler.resend_job(send_id, accept_gaps)

    async def refused_job(self, send_id: str) -> Job | None:
        """A job for a send's numbers refused for a reason a later send can cure (a top-up, the administrator)."""
        return await self.sender.reconciler.refused_job(send_id)

    async def resend_unconfirmed(self, send_id: str, *, accept_gaps: bool = False) -> SendOutcome | None:
        """Explicitly re-send the numbers no report confirmed (the user's decision); None when nothing was left to
        send or another process re-sent them first (the outcome's `held` says who opt-outs and rules kept back)."""
        job = await self.resend_job(send_id, accept_gaps=accept_gaps)
        if job is None:
            return None
        preflight = await self.preflight(job)
        if not preflight.sendable:
            assert job.supersedes is not None
            await self.store.close_chunks(job.supersedes)
            return SendOutcome("", held=list(preflight.held))
        try:
            return await self.send(preflight)
        except TakenOver:
            return None

    # -- reports, uplinks, opt-outs ---------------------------------------------------------------

    async def drain_reports(self, task_id: str | None = None, retries: int = 0) -> DrainResult:
        """Pull every waiting report into the store."""
        return await self.reports_poller.drain(task_id, retries=retries)

    async def drain_uplinks(self, retries: int = 0) -> DrainResult:
        """Pull every waiting reply into the store."""
        return await self.uplinks_poller.drain(retries=retries)

    async def recover(self) -> DrainResult:
        """What a crash left: bodies read but not stored are stored; queries cut off are gaps; kept bodies that can
        now be read are read (every command and the TUI do this first)."""
        replayed = await self.ingestor.replay_spool()
        gaps = await self.store.crashed_queries(self.key)
        return replayed + await self.ingestor.replay() + DrainResult(gaps=gaps)

    async def recovery(self) -> Recovery:
        """What needs the user: sends in doubt, report and reply gaps, kept bodies, bodies waiting on disk, sends
        left part-way."""
        unfinished = await self.unfinished()
        return Recovery([s for s in unfinished if s.unknown or s.inflight], await self.store.gaps(self.key),
                        len(await self.store.raw_replies(self.key)), len(self.ingestor.spool.waiting()),
                        await resumable_sends(self))

    async def forget_gaps(self, ids: list[int] | None = None) -> int:
        """The user accepts that what these gaps lost is lost (all of them without ids)."""
        return await self.store.resolve_gaps(self.key, ids)

    async def stored_reports(self, task_id: str | None = None, limit: int = 1000,
                             offset: int = 0) -> list[StoredReport]:
        """Reports from the store, newest first."""
        return await self.store.reports(self.key, task_id, limit, offset)

    async def stored_uplinks(self, limit: int = 1000, offset: int = 0) -> list[StoredUplink]:
        """Replies from the store, newest first."""
        return await self.store.uplinks(self.key, limit, offset)

    async def optouts(self) -> dict[str, str]:
        """The opt-out list."""
        return await self.store.optouts(self.key)

    async def add_optout(self, mobile: str, reason: str = "") -> bool:
        """Hold a number back from future sends; False when it was held already."""
        number = p.normalise_mobile(mobile)
        if number is None:
            raise InvalidInput(f"{mobile} is not a mobile number").words("not_a_number", mobile=mobile)
        return await self.store.add_optout(self.key, number, reason=reason)

    async def remove_optout(self, mobile: str, reason: str) -> bool:
        """Let a number receive messages again; why is recorded (it asked to stop once); False when not held."""
        if not reason.strip():
            raise InvalidInput("say why the number may receive messages again (it asked to stop)").words(
                "optout_reason")
        return await self.store.remove_optout(self.key, mobile, reason.strip())

    async def replay_kept(self) -> DrainResult:
        """Ingest kept reply bodies that can now be read."""
        return await self.ingestor.replay()

    # -- templates --------------------------------------------------------------------------------

    @cached_property
    def template_book(self) -> TemplateBook:
        """The account's templates, shared by every area (Compose's live match, the Templates area, the CLI)."""
        from .templates import TemplateBook

        return TemplateBook(self.name, self.key, self.client, self.store, self.bus,
                            require_signature=self.profile.require_signature,
                            max_length=self.profile.max_content_length, clock=self.clock)

    async def templates(self, refresh: bool = True) -> list[p.Template]:
        """The account's templates (from the gateway, remembered in the store; the stored ones without `refresh`)."""
        if not refresh:
            return list(await self.template_book.stored())
        await self.template_book.refresh()
        return list(self.template_book.templates)

    async def add_template(self, text: str) -> str:
        """Submit a template (validated first); returns its id."""
        return await self.template_book.add(text)

    async def update_template(self, template_id: str, text: str) -> None:
        """Change a template (back to review)."""
        await self.template_book.update(template_id, text)

    async def delete_template(self, template_id: str) -> None:
        """Delete a template."""
        await self.template_book.delete(template_id)

    # -- background work --------------------------------------------------------------------------

    def start_pollers(self, interval: float | None = None,
                      told: Callable[[ServiceError | None], None] | None = None) -> None:
        """Poll reports and uplinks (and templates under review) in the background; `told` hears how each round
        of reports and uplinks went (None: well)."""
        if self._pollers:
            return
        every = interval if interval is not None else self.profile.poll_interval
        lead = self.leads_polling if self.store.shared else None
        self._pollers = [asyncio.create_task(self.reports_poller.run(every, told, lead)),
                         asyncio.create_task(self.uplinks_poller.run(every, told, lead))]
        # a template under review is asked about until the gateway decides (idle while none is: it asks nothing)
        self._pollers.append(asyncio.create_task(self.template_book.watch_reviews()))

    async def leads_polling(self) -> bool:
        """Whether this process drains the account's queues: on a shared store one process at a time does (the
        others see what it stores); if it dies, the next to ask takes over."""
        return await self.store.lead(f"poll:{self.key}")

    async def start_push_receiver(self, listen: str | None = None) -> str:
        """Serve the push receiver; returns its URL."""
        settings = self.config.push
        app = build_push_app(self.ingestor, token=settings.token, allow=settings.allow, max_body=settings.max_body)
        self.receiver = PushReceiver(app, listen or settings.listen)
        url = await self.receiver.start()
        return url + ("/" + settings.token.strip("/") if settings.token else "")

    async def stop_background(self) -> None:
        """Stop pollers and the receiver."""
        for task in self._pollers:
            task.cancel()
        await asyncio.gather(*self._pollers, return_exceptions=True)
        self._pollers = []
        if self.receiver is not None:
            await self.receiver.stop()
            self.receiver = None
