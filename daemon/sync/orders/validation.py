"""Order lines Rackbeat cannot take, found before anything is sent.

Rackbeat identifies a product by its number (the shop SKU), at most 25 characters. A line without a
SKU or with a longer one cannot be mapped, so the caller parks the order with these reasons for an
operator to fix in the shop (or in Rackbeat) instead of sending a wrong order.
"""

from __future__ import annotations

from dataclasses import dataclass

from daemon.sync.model import Order, OrderLine

MAX_SKU_LENGTH = 25


@dataclass(frozen=True)
class LineProblem:
    """Why one line of one order cannot be transferred."""

    shop_id: str
    order_name: str
    shop_order_id: str
    line_id: str
    line_name: str
    sku: str | None
    reason: str

    def __str__(self) -> str:
        return (
            f"shop {self.shop_id} order {self.order_name} (id {self.shop_order_id}) "
            f"line {self.line_id} {self.line_name!r} SKU {self.sku!r}: {self.reason}"
        )


def line_problems(order: Order) -> list[LineProblem]:
    """Every line problem in the order; empty when all lines can be mapped."""
    return [
        LineProblem(order.shop_id, order.name, order.shop_order_id, line.line_id, line.name, line.sku, reason)
        for line in order.lines
        if (reason := _reason(line))
    ]


def _reason(line: OrderLine) -> str | None:
    if not line.sku:
        return "missing SKU (Rackbeat needs the SKU as product number)"
    if len(line.sku) > MAX_SKU_LENGTH:
        return f"SKU is {len(line.sku)} characters, Rackbeat product numbers allow at most {MAX_SKU_LENGTH}"
    return None
