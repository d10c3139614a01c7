"""Lines Rackbeat cannot take are reported with shop, order, line and reason."""

from __future__ import annotations

from dataclasses import replace

from daemon.sync.orders import line_problems, order_from_shopify_rest
from daemon.sync.orders.validation import MAX_SKU_LENGTH
from tests.fixtures.shop_orders import awkward_scenario, shopify_rest_order


def order_with_skus(*skus):
    scenario = awkward_scenario()
    items = tuple(replace(item, sku=sku) for item, sku in zip(scenario.items, skus))
    return order_from_shopify_rest(shopify_rest_order(replace(scenario, items=items)), "shopA")


def test_clean_order_has_no_problems() -> None:
    assert line_problems(order_with_skus("A", "B" * MAX_SKU_LENGTH, "C")) == []


def test_missing_and_too_long_skus_are_reported() -> None:
    long_sku = "X" * (MAX_SKU_LENGTH + 1)
    order = order_with_skus(None, long_sku, "")

    problems = line_problems(order)

    assert [(p.line_id, p.sku) for p in problems] == [
        (order.lines[0].line_id, None),
        (order.lines[1].line_id, long_sku),
        (order.lines[2].line_id, None),
    ]
    assert "missing SKU" in problems[0].reason
    assert str(MAX_SKU_LENGTH + 1) in problems[1].reason and str(MAX_SKU_LENGTH) in problems[1].reason
    for problem, line in zip(problems, order.lines):
        text = str(problem)
        assert "shopA" in text and "#1001" in text and order.shop_order_id in text
        assert line.line_id in text and line.name in text
