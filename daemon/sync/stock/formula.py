"""The quantity a shop may show for one SKU, and the reservations it subtracts. Pure: no I/O.

A shop shows Rackbeat's available quantity minus the units on shop orders Rackbeat has not reserved yet
(from any shop: an order in shop A must not be sold again in shop B), never below zero and always a
whole number, rounded down so a fraction of a unit is never offered.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Iterable, Mapping



def sellable(available: Decimal, reserved: Decimal = Decimal(0)) -> int:
    """``floor(available - reserved)`` clamped at 0."""
    return max(0, math.floor(available - reserved))


def targets(
    available: Mapping[str, Decimal], reserved: Mapping[str, Decimal]
) -> dict[str, int]:
    """The quantity to show for every SKU Rackbeat answered for; SKUs it does not know get no value."""
    return {sku: sellable(qty, reserved.get(sku, Decimal(0))) for sku, qty in available.items()}


def to_push(
    wanted: Mapping[str, int], last_pushed: Mapping[str, int], forced: Iterable[str] = ()
) -> dict[str, int]:
    """Only values that differ from the last one pushed to this shop (or that a reconcile forces)."""
    force = set(forced)
    return {sku: qty for sku, qty in wanted.items() if sku in force or last_pushed.get(sku) != qty}
