"""Turns Rackbeat's refusal of an order into a reason an operator can act on.

An unknown SKU (422 on ``lines.N.item_id``) parks the order *blocked on* that SKU, so it is retried by
itself as soon as the product appears in Rackbeat.
"""

from __future__ import annotations

import re

from daemon.errors import TerminalApiError, TerminalError
from daemon.sync.model import Order

_LINE_ITEM = re.compile(r"^lines\.(\d+)\.item_id$")


def unknown_sku_error(exc: TerminalApiError, order: Order, payload: dict) -> TerminalError | None:
    errors = exc.body.get("errors") if isinstance(exc.body, dict) else None
    for key in errors or {}:
        match = _LINE_ITEM.match(key)
        if match and int(match[1]) < len(payload["lines"]):
            sku = payload["lines"][int(match[1])]["item_id"]
            return TerminalError(
                f"shop {order.shop_id} order {order.name} ({order.shop_order_id}): SKU {sku!r} is unknown to "
                f"Rackbeat; create product {sku} in Rackbeat (the order is retried when it appears)",
                shop=order.shop_id,
                order=order.shop_order_id,
                sku=sku,
                blocked_on=f"sku:{sku}",
            )
    return None
