"""Decimal helpers shared by the shop mappers and the Rackbeat payload builder.

Shops send money as strings (and Woo sometimes as JSON numbers); going through ``str`` keeps a float
like 26.664 from turning into 26.66399999.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0")
Taxes = list[tuple[Decimal, Decimal]]  # a line's taxes as (rate percent, amount)


def to_decimal(value: Any) -> Decimal:
    """Shop money/quantity value (str, int, float, None) -> Decimal; None and "" count as zero."""
    if value is None or value == "":
        return ZERO
    return Decimal(str(value))


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def vat_rate(taxes: Taxes, net: Decimal) -> Decimal:
    """The line's VAT percentage from its (rate percent, tax amount) pairs.

    Rates that produced tax add up (stacked taxes). A line that costs something but was charged no
    tax at all (exempt customer, untaxable product) has rate 0 whatever its tax lines say; a free
    line keeps its nominal rate.
    """
    charged = [rate for rate, amount in taxes if amount != ZERO]
    if charged or net == ZERO:
        return _tidy(sum(charged or (rate for rate, _ in taxes), ZERO))
    return ZERO


def _tidy(value: Decimal) -> Decimal:
    """25.00 -> 25, 12.50 -> 12.5 (normalize alone would give 2.5E+1)."""
    return value.normalize() + ZERO


def plain(value: Decimal) -> str:
    """Decimal -> JSON-safe fixed-point string without exponent ("25", "26.6640")."""
    return format(value, "f")
