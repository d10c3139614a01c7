"""How Rackbeat totals an order: the contract the payload builder must hit to the cent.

Shared with the Rackbeat emulator's author, who implements the same rules independently:
per line ``line_total = round_half_up(quantity * line_price * (1 - discount_percentage/100), 2)`` and
``line_vat = round_half_up(line_total * vat_percentage/100, 2)``; the order's ``total_total`` is the
sum of both over all lines. Values may arrive as Decimal, str, int or float (parsed JSON).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from daemon.sync.orders.amounts import ZERO, round_half_up, to_decimal


def line_net(quantity: Decimal, line_price: Decimal, discount_percentage: Decimal) -> Decimal:
    """A line's total excluding VAT, rounded the way Rackbeat rounds it."""
    return round_half_up(quantity * line_price * (1 - discount_percentage / 100), 2)


def line_vat(net: Decimal, vat_percentage: Decimal) -> Decimal:
    return round_half_up(net * vat_percentage / 100, 2)


def rackbeat_line_net(line: Mapping[str, Any]) -> Decimal:
    """One payload line's total excluding VAT."""
    return line_net(
        to_decimal(line["quantity"]),
        to_decimal(line["line_price"]),
        to_decimal(line.get("discount_percentage")),
    )


def rackbeat_line_total(line: Mapping[str, Any]) -> Decimal:
    """One payload line's total including VAT."""
    net = rackbeat_line_net(line)
    return net + line_vat(net, to_decimal(line.get("vat_percentage")))


def rackbeat_order_total(payload: Mapping[str, Any]) -> Decimal:
    """The ``total_total`` Rackbeat will compute for a ``POST /orders`` body."""
    return sum((rackbeat_line_total(line) for line in payload["lines"]), ZERO)
