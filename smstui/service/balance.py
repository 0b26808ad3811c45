"""The one balance cache: what the gateway last said the account has, SMS and MMS, and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from .. import protocol as p
from .events import BalanceChanged, EventBus


@dataclass(frozen=True, slots=True)
class BalanceView:
    """A balance as last seen: points (negative on post-paid), pay type, and when the gateway said so."""

    points: int | float | None
    pay_type: str
    at: datetime
    mms: bool = False

    def shortfall(self, cost: int) -> int | float | None:
        """How many points a prepaid account lacks for this cost (None when it can pay or is post-paid)."""
        return p.shortfall(self.pay_type, self.points, cost)

    def after(self, cost: int) -> int | float | None:
        """The balance once this cost is paid."""
        return None if self.points is None else self.points - cost


class Balances:
    """SMS and MMS balances from balance queries and from send replies (`remainpoint`), told on the bus."""

    def __init__(self, profile: str, bus: EventBus, clock: Callable[[], datetime]) -> None:
        self.profile = profile
        self.bus = bus
        self.clock = clock
        self.sms: BalanceView | None = None
        self.mms: BalanceView | None = None

    def of(self, mms: bool) -> BalanceView | None:
        """The SMS or MMS balance."""
        return self.mms if mms else self.sms

    def seen(self, balance: p.Balance, mms: bool = False) -> BalanceView:
        """A balance query answered."""
        return self._set(BalanceView(balance.balance, balance.pay_type, self.clock(), mms))

    def after_send(self, points: int | float | None, mms: bool) -> None:
        """A send reply said what is left (its pay type is the one last seen)."""
        known = self.of(mms)
        if points is None or known is None:
            return
        self._set(replace(known, points=points, at=self.clock()))

    def _set(self, view: BalanceView) -> BalanceView:
        if view.mms:
            self.mms = view
        else:
            self.sms = view
        self.bus.publish(BalanceChanged(self.profile, view.points, view.pay_type, view.mms))
        return view
