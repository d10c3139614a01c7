"""Is an order at the point where the shop's settings say it goes to Rackbeat?

Shopify shops pick one event (created, paid or fulfilled), WooCommerce shops a set of statuses.
A cancelled order never transfers, and orders placed before the shop's start date are history the
daemon must not import unless the operator asked for a backfill. The answer carries a reason so
a skipped order can be explained in the transfer log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from daemon.sync.model import SHOPIFY, Order
from daemon.sync.orders.shopify_common import PAID_FINANCIAL

SHOPIFY_TRIGGERS = ("created", "paid", "fulfilled")
DEFAULT_WOO_STATUSES = frozenset({"processing", "completed"})


@dataclass(frozen=True)
class TransferRule:
    """One shop's transfer trigger; ``start_date`` must be aware."""

    shopify_trigger: str = "paid"
    woo_statuses: frozenset[str] = DEFAULT_WOO_STATUSES
    start_date: datetime | None = None

    def __post_init__(self) -> None:
        if self.shopify_trigger not in SHOPIFY_TRIGGERS:
            raise ValueError(f"shopify_trigger must be one of {SHOPIFY_TRIGGERS}, not {self.shopify_trigger!r}")


@dataclass(frozen=True)
class TransferDecision:
    transfer: bool
    reason: str


def transfer_decision(order: Order, rule: TransferRule, *, backfill: bool = False) -> TransferDecision:
    """Whether to transfer ``order`` now, and why (not)."""
    if order.cancelled:
        return TransferDecision(False, "order is cancelled")
    if rule.start_date and order.created_at < rule.start_date and not backfill:
        return TransferDecision(False, f"created {order.created_at.isoformat()}, before the start date")
    waiting = _shopify_waiting(order, rule.shopify_trigger) if order.shop_type == SHOPIFY else _woo_waiting(order, rule)
    return TransferDecision(False, waiting) if waiting else TransferDecision(True, "at the transfer trigger")


def _shopify_waiting(order: Order, trigger: str) -> str | None:
    if trigger == "paid" and order.financial_status not in PAID_FINANCIAL:
        return f"waiting for payment (financial status {order.financial_status})"
    if trigger == "fulfilled" and order.fulfillment_status != "fulfilled":
        return f"waiting for fulfilment (fulfillment status {order.fulfillment_status})"
    return None


def _woo_waiting(order: Order, rule: TransferRule) -> str | None:
    if order.shop_status in rule.woo_statuses:
        return None
    return f"status {order.shop_status} is not one of {', '.join(sorted(rule.woo_statuses))}"
