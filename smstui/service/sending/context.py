"""What every part of sending shares: the account's key, client, store, bus, clock and settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..balance import Balances
from ..client import GatewayClient
from ..errors import InvalidInput
from ..events import EventBus
from ..store import SendRecord, Store
from .jobs import ChunkSizes


@dataclass
class SendSettings:
    """How sends are cut and paced, and the content limits checked before sending."""

    chunk_size: int = 1000
    batch_rows: int = 1000
    concurrency: int = 4
    retries: int = 3
    retry_delay: float = 0.5
    require_signature: bool = True
    max_content_length: int = 500
    reconcile_wait: float = 600.0
    shared_account: bool = True  # reports of tasks this store never saw are possible, not certain, proof
    lease: float = 600.0  # seconds a claimed chunk stays this process's (longer than a request can take)

    @property
    def sizes(self) -> ChunkSizes:
        """Numbers per request, rows per batch request."""
        return ChunkSizes(max(self.chunk_size, 1), max(self.batch_rows, 1))


@dataclass
class SendContext:
    """One account's sending: whom it talks to, where it journals (under the account's key), whom it tells."""

    account: str  # the store's key of the gateway account (Profile.account_key)
    client: GatewayClient
    store: Store
    bus: EventBus
    balances: Balances
    clock: Callable[[], datetime]
    settings: SendSettings = field(default_factory=SendSettings)
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:16])  # the id of the next send

    async def own_send(self, send_id: str) -> SendRecord:
        """The journal entry of one of this account's sends; InvalidInput for another account's or none."""
        send = await self.store.send_record(send_id)
        if send is None:
            raise InvalidInput(f"no send {send_id} in the journal").words("send_missing", send=send_id)
        if send.account != self.account:
            raise InvalidInput(f"send {send_id} was made on account {send.account}, not {self.account}: use a "
                               "profile of that account").words("send_other_account", send=send_id,
                                                                theirs=send.account, ours=self.account)
        return send
