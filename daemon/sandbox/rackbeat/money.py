"""Decimal arithmetic for document lines and totals.

The order-mapping code on the daemon side computes the same numbers, so the rules are a contract:
``line_total = round_half_up(quantity * line_price * (1 - discount/100), 2)``,
``line_vat = round_half_up(line_total * vat/100, 2)``, totals are sums of the rounded line values.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Protocol

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class Priced(Protocol):
    quantity: Decimal
    line_price: Decimal
    discount_percentage: Decimal
    vat_percentage: Decimal


def line_total(line: Priced) -> Decimal:
    gross = line.quantity * line.line_price * (1 - line.discount_percentage / HUNDRED)
    return round_half_up(gross)


def line_vat(line: Priced) -> Decimal:
    return round_half_up(line_total(line) * line.vat_percentage / HUNDRED)


def document_totals(lines: Iterable[Priced]) -> dict[str, Decimal]:
    subtotal = vat = ZERO
    for line in lines:
        subtotal += line_total(line)
        vat += line_vat(line)
    return {"total_subtotal": subtotal, "total_vat": vat, "total_total": subtotal + vat}
