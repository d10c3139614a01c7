"""When an order is at the shop's transfer trigger."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from daemon.sync.orders import TransferRule, order_from_shopify_rest, order_from_woocommerce, transfer_decision
from tests.fixtures.shop_orders import awkward_scenario, shopify_rest_order, woo_order


def shopify(**changes):
    return order_from_shopify_rest(shopify_rest_order(awkward_scenario(**changes)), "shopA")


def woo(status: str):
    return order_from_woocommerce(woo_order(awkward_scenario(woo_status=status)), "wooB")


SHOPIFY_CASES = [
    # trigger, financial, fulfillment -> transfers?
    ("created", "pending", None, True),
    ("created", "authorized", None, True),
    ("paid", "pending", None, False),
    ("paid", "authorized", None, False),
    ("paid", "paid", None, True),
    ("paid", "partially_refunded", None, True),
    ("paid", "paid", "fulfilled", True),
    ("fulfilled", "paid", None, False),
    ("fulfilled", "paid", "partial", False),
    ("fulfilled", "paid", "fulfilled", True),
    ("fulfilled", "pending", "fulfilled", True),
]


@pytest.mark.parametrize("trigger,financial,fulfillment,expected", SHOPIFY_CASES)
def test_shopify_triggers(trigger: str, financial: str, fulfillment: str | None, expected: bool) -> None:
    order = shopify(financial_status=financial, fulfillment_status=fulfillment)
    decision = transfer_decision(order, TransferRule(shopify_trigger=trigger))
    assert decision.transfer is expected
    assert decision.reason


@pytest.mark.parametrize("trigger", ["created", "paid", "fulfilled"])
def test_cancelled_never_transfers(trigger: str) -> None:
    order = shopify(financial_status="paid", fulfillment_status="fulfilled", cancelled=True)
    decision = transfer_decision(order, TransferRule(shopify_trigger=trigger), backfill=True)
    assert not decision.transfer and "cancelled" in decision.reason
    assert not transfer_decision(woo("cancelled"), TransferRule(woo_statuses=frozenset({"cancelled"}))).transfer


@pytest.mark.parametrize(
    "status,expected",
    [("pending", False), ("on-hold", False), ("processing", True), ("completed", True), ("failed", False)],
)
def test_woo_default_statuses(status: str, expected: bool) -> None:
    decision = transfer_decision(woo(status), TransferRule())
    assert decision.transfer is expected
    if not expected:
        assert status in decision.reason


def test_woo_custom_statuses() -> None:
    rule = TransferRule(woo_statuses=frozenset({"completed"}))
    assert not transfer_decision(woo("processing"), rule).transfer
    assert transfer_decision(woo("completed"), rule).transfer


def test_start_date_and_backfill() -> None:
    order = shopify(financial_status="paid")
    after = TransferRule(start_date=order.created_at + timedelta(seconds=1))
    at = TransferRule(start_date=order.created_at.astimezone(timezone.utc))

    assert not transfer_decision(order, after).transfer
    assert "start date" in transfer_decision(order, after).reason
    assert transfer_decision(order, after, backfill=True).transfer
    assert transfer_decision(order, at).transfer
    # backfilling does not skip the trigger itself
    unpaid = replace(order, financial_status="pending")
    assert not transfer_decision(unpaid, after, backfill=True).transfer


def test_unknown_shopify_trigger_is_rejected() -> None:
    with pytest.raises(ValueError, match="shopify_trigger"):
        TransferRule(shopify_trigger="shipped")


def test_start_date_compares_instants_not_wall_clocks() -> None:
    order = shopify(financial_status="paid")  # 23:30 at +01:00 = 22:30 UTC
    rule = TransferRule(start_date=datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc))
    assert not transfer_decision(order, rule).transfer
