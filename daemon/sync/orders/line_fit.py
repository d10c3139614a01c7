"""Choose a Rackbeat ``line_price``/``discount_percentage`` that reproduces the shop's line total exactly.

Rackbeat keeps 4 decimals on both and rounds the product to cents, so the shop's unit price (often
a tax-inclusive price divided by 1.25, e.g. 33.33 -> 26.664) and discount do not always land on the
shop's cent. The search stays close to what the shop showed: the shop's own unit price first, then
neighbouring 4-decimal values; the discount is only used to fit when the shop gave one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from daemon.sync.orders.amounts import ZERO, round_half_up
from daemon.sync.orders.rackbeat_totals import line_net

STEP = Decimal("0.0001")
SEARCH_STEPS = 50
HUNDRED = Decimal(100)


def fit_line(
    quantity: Decimal, unit_price: Decimal, net: Decimal, *, discounted: bool
) -> tuple[Decimal, Decimal] | None:
    """(line_price, discount_percentage) giving exactly ``net`` after Rackbeat's rounding, or None."""
    if quantity == ZERO:
        return (round_half_up(unit_price, 4), ZERO) if net == ZERO else None
    price = round_half_up(unit_price, 4)
    fits = (_fit_discount, _fit_price) if discounted else (_fit_price, _fit_discount)
    for fit in fits:
        found = fit(quantity, price, net)
        if found:
            return found
    return None


def closest_price(quantity: Decimal, net: Decimal) -> Decimal:
    """The 4-decimal unit price nearest ``net / quantity``, for when nothing fits exactly."""
    return round_half_up(net / quantity, 4) if quantity else ZERO


def _around(centre: Decimal) -> Iterator[Decimal]:
    yield centre
    for step in range(1, SEARCH_STEPS + 1):
        yield centre + step * STEP
        yield centre - step * STEP


def _fit_price(quantity: Decimal, price: Decimal, net: Decimal) -> tuple[Decimal, Decimal] | None:
    candidates = [price, *_around(closest_price(quantity, net))]
    return next(((c, ZERO) for c in candidates if line_net(quantity, c, ZERO) == net), None)


def _fit_discount(quantity: Decimal, price: Decimal, net: Decimal) -> tuple[Decimal, Decimal] | None:
    gross = quantity * price
    if gross <= ZERO:
        return None
    centre = round_half_up((1 - net / gross) * HUNDRED, 4)
    return next(
        ((price, d) for d in _around(centre) if ZERO <= d <= HUNDRED and line_net(quantity, price, d) == net),
        None,
    )
