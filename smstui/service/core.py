"""The one service the TUI and the CLI call: a profile's client, store, sender, pollers and receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from .. import protocol as p
from .client import GatewayClient, beijing_now
from .config import AppConfig, Profile, profile_password
from .errors import GatewayRefused, InvalidInput, ServiceError, UnknownOutcome, Unreachable
from .events import EventBus
from .pollers import DrainResult, Ingestor, Poller
from .push_receiver import PushReceiver, build_push_app
from .secrets import Secret
from .sending import Preflight, ReconcileResult, Sender, SendOutcome, SendRequest
from .store import Store, StoredReport, StoredUplink

ConnectionState = Literal["ok", "unreachable", "credentials", "disabled", "error"]


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to 'can this profile work?': ok, unreachable, wrong credentials, account disabled, other."""

    state: ConnectionState
    message: str
    balance: p.Balance | None = None
    error: ServiceError | None = None  # what failed, when something did (its code says it in any language)


class SmsService:
    """Everything a profile can do, async, with typed results and typed failures."""

    def __init__(self, config: AppConfig, profile: Profile, password: Secret, store: Store, *,
                 clock: Callable[[], datetime] = beijing_now, demo: bool = False, **client_overrides) -> None:
        self.config = config
        self.profile = profile
        self.store = store
        self.demo = demo
        self.clock = clock
        self.bus = EventBus()
        self.client = GatewayClient.for_profile(profile, password, clock=clock, **client_overrides)
        self.sender = Sender(profile.name, self.client, store, self.bus, chunk_size=profile.chunk_size,
                             batch_rows=profile.batch_rows, concurrency=profile.concurrency, retries=profile.retries,
                             require_signature=profile.require_signature,
                             max_content_length=profile.max_content_length, reconcile_wait=profile.reconcile_wait,
                             clock=clock)
        self.ingestor = Ingestor(profile.name, store, self.bus, profile.optout_words)
        self.reports_poller = Poller("reports", self.client, self.ingestor)
        self.uplinks_poller = Poller("uplinks", self.client, self.ingestor)
        self.last_balance: p.Balance | None = None
        self.last_send_id = ""
        self._pollers: list[asyncio.Task] = []
        self.receiver: PushReceiver | None = None

    @classmethod
    async def open(cls, config: AppConfig, profile_name: str | None = None, *, store_path: Path | str | None = None,
                   password: Secret | None = None, **kwargs) -> SmsService:
        """Open the service of a profile: its password, the store (migrated), the client."""
        profile = config.profile(profile_name)
        if password is None:
            password = profile_password(config, profile)
        store = await Store(store_path or config.database_path(), clock=kwargs.get("clock", beijing_now)).open()
        service = cls(config, profile, password, store, **kwargs)
        await store.crashed_inflight(profile.name)
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
    def warnings(self) -> list[str]:
        """Things the user should know (loose file permissions, TLS verification off)."""
        found = list(self.config.warnings)
        if not self.client.tls_verified and self.profile.base_url.lower().startswith("https://"):
            found.append(f"profile {self.name}: TLS certificate verification is OFF (verify_tls = false)")
        return found

    # -- account ----------------------------------------------------------------------------------

    async def balance(self, mms: bool = False) -> p.Balance:
        """The SMS (or MMS) balance; the SMS one is remembered for the header."""
        balance = await self.client.balance(mms=mms)
        if not mms:
            self.last_balance = balance
        return balance

    async def check_connection(self) -> ConnectionCheck:
        """Tell apart unreachable, wrong credentials, a disabled account and OK."""
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
        return ConnectionCheck("ok", f"connected; balance {balance.balance}", balance)

    async def change_password(self, new_password: str) -> p.PasswordResult:
        """Change the account's password on the gateway (the config is not rewritten)."""
        return await self.client.change_password(new_password)

    # -- sending ----------------------------------------------------------------------------------

    async def preflight(self, request: SendRequest) -> Preflight:
        """Validate a send and find who the rules or the opt-out list hold back (InvalidInput if it cannot go)."""
        return await self.sender.preflight(request)

    async def send(self, preflight: Preflight, *, override_held: bool = False) -> SendOutcome:
        """Journal and run a send; progress goes out on the bus as SendProgress events."""
        send_id = await self.sender.plan(preflight, override_held=override_held)
        self.last_send_id = send_id
        outcome = await self.sender.run(send_id)
        outcome.held = [] if override_held else list(preflight.held)
        if outcome.balance is not None and self.last_balance is not None:
            self.last_balance = p.Balance(True, "Success", "", self.last_balance.pay_type, self.last_balance.pay_info,
                                          outcome.balance, self.last_balance.send_total)
        return outcome

    def cancel(self, send_id: str) -> None:
        """Stop a running send after the requests in flight."""
        self.sender.cancel(send_id)

    def cancel_all(self) -> None:
        """Stop every running send (and any about to start) after the requests in flight."""
        self.sender.cancel_all()

    async def unfinished(self) -> list[dict]:
        """Sends that still have unsent chunks or unknown outcomes."""
        return await self.store.unfinished_sends(self.name)

    async def resume(self, send_id: str | None = None) -> list[SendOutcome]:
        """Send what a stopped send did not (never what the gateway accepted, never an unknown chunk)."""
        ids = [send_id] if send_id else [s["id"] for s in await self.unfinished() if s["waiting"]]
        return [await self.sender.run(i) for i in ids]

    async def reconcile(self, send_id: str) -> list[ReconcileResult]:
        """Drain reports (a failure ends here: deciding on stale reports could re-send), then decide who was sent."""
        await self.drain_reports()
        return await self.sender.reconcile(send_id)

    async def resend_unconfirmed(self, send_id: str) -> SendOutcome | None:
        """Explicitly re-send the numbers no report confirmed (the user's decision), once reports had time to come;
        None when nothing was left to send (the outcome's `held` says who the opt-outs and rules kept back)."""
        await self.drain_reports()
        new_id, held = await self.sender.resend_unconfirmed(send_id)
        if new_id is None:
            return None if not held else SendOutcome("", held=held)
        outcome = await self.sender.run(new_id)
        outcome.held = held
        return outcome

    # -- reports, uplinks, opt-outs ---------------------------------------------------------------

    async def drain_reports(self, task_id: str | None = None) -> DrainResult:
        """Pull every waiting report into the store."""
        return await self.reports_poller.drain(task_id)

    async def drain_uplinks(self) -> DrainResult:
        """Pull every waiting reply into the store."""
        return await self.uplinks_poller.drain()

    async def stored_reports(self, task_id: str | None = None, limit: int = 1000, offset: int = 0) -> list[StoredReport]:
        """Reports from the store, newest first."""
        return await self.store.reports(self.name, task_id, limit, offset)

    async def stored_uplinks(self, limit: int = 1000, offset: int = 0) -> list[StoredUplink]:
        """Replies from the store, newest first."""
        return await self.store.uplinks(self.name, limit, offset)

    async def optouts(self) -> dict[str, str]:
        """The opt-out list."""
        return await self.store.optouts(self.name)

    async def add_optout(self, mobile: str) -> None:
        """Hold a number back from future sends."""
        if not p.is_mobile(mobile):
            raise InvalidInput(f"{mobile} is not a mobile number")
        await self.store.add_optout(self.name, mobile)

    async def remove_optout(self, mobile: str) -> None:
        """Let a number receive messages again."""
        await self.store.remove_optout(self.name, mobile)

    async def replay_kept(self) -> DrainResult:
        """Ingest kept reply bodies that can now be read."""
        return await self.ingestor.replay()

    # -- templates --------------------------------------------------------------------------------

    async def templates(self, refresh: bool = True) -> list[p.Template]:
        """The account's templates (from the gateway, remembered in the store)."""
        if not refresh:
            return await self.store.templates(self.name)
        found = await self.client.query_templates()
        await self.store.save_templates(self.name, found, replace_all=True)
        return found

    async def add_template(self, text: str) -> str:
        """Submit a template (validated first); returns its id."""
        problems = [x for x in p.validate_template(text, require_signature=self.profile.require_signature) if x.blocking]
        if problems:
            raise InvalidInput("; ".join(x.message for x in problems))
        template_id = await self.client.add_template(text)
        await self.store.save_templates(self.name, [p.Template(template_id, p.TemplateStatus.REVIEW, text)])
        return template_id

    async def update_template(self, template_id: str, text: str) -> None:
        """Change a template (back to review)."""
        problems = [x for x in p.validate_template(text, require_signature=self.profile.require_signature) if x.blocking]
        if problems:
            raise InvalidInput("; ".join(x.message for x in problems))
        await self.client.update_template(template_id, text)
        await self.store.save_templates(self.name, [p.Template(template_id, p.TemplateStatus.REVIEW, text)])

    async def delete_template(self, template_id: str) -> None:
        """Delete a template."""
        await self.client.delete_template(template_id)
        await self.store.forget_template(self.name, template_id)

    # -- background work --------------------------------------------------------------------------

    def start_pollers(self, interval: float | None = None, on_error=None) -> None:
        """Poll reports and uplinks in the background."""
        if self._pollers:
            return
        every = interval if interval is not None else self.profile.poll_interval
        self._pollers = [asyncio.create_task(self.reports_poller.run(every, on_error)),
                         asyncio.create_task(self.uplinks_poller.run(every, on_error))]

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
