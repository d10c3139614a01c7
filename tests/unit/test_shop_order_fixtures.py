"""The shop order fixtures must add up the way the shops do, or no mapping test means anything."""

from __future__ import annotations

from tests.fixtures.shop_orders import D, ZERO, awkward_scenario, line_discounts, shopify_rest_order, woo_order

def test_shopify_fixture_total_is_lines_after_discounts_plus_shipping_plus_tax() -> None:
    for included in (False, True):
        order = shopify_rest_order(awkward_scenario(taxes_included=included))
        charged = sum(
            (
                D(item["price"]) * item["quantity"] - sum((D(a["amount"]) for a in item["discount_allocations"]), ZERO)
                for item in order["line_items"]
            ),
            ZERO,
        )
        tax = ZERO if included else D(order["total_tax"])
        assert charged + D(order["shipping_lines"][0]["discounted_price"]) + tax == D(order["total_price"])


def test_woo_fixture_total_is_line_totals_plus_taxes_plus_shipping() -> None:
    for included in (False, True):
        order = woo_order(awkward_scenario(taxes_included=included))
        lines = sum((D(item["total"]) + D(item["total_tax"]) for item in order["line_items"]), ZERO)
        assert lines + D(order["shipping_total"]) + D(order["shipping_tax"]) == D(order["total"])


def test_discount_allocation_spreads_the_whole_code() -> None:
    scenario = awkward_scenario(code_percent=ZERO, code_fixed=D("100.00"))
    own = sum((i.line_discount for i in scenario.items), ZERO)
    assert sum(line_discounts(scenario), ZERO) == own + D("100.00")
