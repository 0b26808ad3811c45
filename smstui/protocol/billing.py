"""What a send costs and whether the account can pay for it (chapter 3 and the rules before chapter 1)."""

from __future__ import annotations

from .length import segments

MMS_COST_PER_RECIPIENT = 1  # against the MMS balance, whatever the package's size (docs/protocol.md §1)


def cost(text: str, recipients: int) -> int:
    """Points a send costs: segments × accepted recipients."""
    return segments(text) * max(recipients, 0)


def mms_cost(recipients: int) -> int:
    """MMS points a send costs: one per accepted recipient."""
    return MMS_COST_PER_RECIPIENT * max(recipients, 0)


def shortfall(pay_type: str, balance: int | float | None, points: int) -> int | float | None:
    """How many points a prepaid account lacks for a send (it refuses what it cannot pay: 1111); None when it can
    pay, when it is post-paid (its balance goes below zero), or when the balance is not known."""
    if pay_type != "prepaid" or balance is None or balance >= points:
        return None
    return points - balance
