"""Rackbeat order payloads: totals equal the shop's to the cent, lines map 1:1, mismatches are refused."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import Decimal
from typing import Any, Callable

import pytest

from daemon.errors import TerminalError
from daemon.sync.model import Order
from daemon.sync.orders import (
    PayloadOptions,
    build_order_payload,
    line_problems,
    order_from_shopify_graphql,
    order_from_shopify_rest,
    order_from_woocommerce,
    rackbeat_order_total,
)
from daemon.sync.orders.rackbeat_totals import rackbeat_line_net
from tests.fixtures.shop_orders import (
    D,
    Item,
    Scenario,
    awkward_scenario,
    random_scenario,
    shopify_graphql_node,
    shopify_rest_order,
    tax_on,
    woo_order,
)

OPTIONS = PayloadOptions(shipping_product="SHIPPING", rounding_product="ROUNDING")


def via_rest(scenario: Scenario) -> Order:
    return order_from_shopify_rest(shopify_rest_order(scenario), "shopA")


def via_graphql(scenario: Scenario) -> Order:
    return order_from_shopify_graphql(shopify_graphql_node(shopify_rest_order(scenario)), "shopA")


def via_woo(scenario: Scenario) -> Order:
    return order_from_woocommerce(woo_order(scenario), "wooB")


MAPPERS: dict[str, Callable[[Scenario], Order]] = {"rest": via_rest, "graphql": via_graphql, "woo": via_woo}


def payload_for(order: Order, options: PayloadOptions = OPTIONS) -> dict[str, Any]:
    return build_order_payload(
        order, customer_number="10042", reference=f"rbsync:{order.shop_id}:{order.shop_order_id}", options=options
    )


def product_lines(payload: dict[str, Any], options: PayloadOptions = OPTIONS) -> list[dict[str, Any]]:
    special = {options.shipping_product, options.rounding_product}
    return [line for line in payload["lines"] if line["item_id"] not in special]


def rounding_lines(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [line for line in payload["lines"] if line["item_id"] == OPTIONS.rounding_product]


SCENARIOS = {
    "excl-vat mixed rates, % code, taxed shipping": awkward_scenario(),
    "incl-vat mixed rates, % code, taxed shipping": awkward_scenario(taxes_included=True),
    "incl-vat fixed code, free shipping": awkward_scenario(
        taxes_included=True, code="WELCOME", code_percent=D(0), code_fixed=D("50.00"), shipping=D(0)
    ),
    "excl-vat EUR, no discounts": awkward_scenario(currency="EUR", code=None, code_percent=D(0)),
    "3 x 33.33 incl 25%": Scenario(items=(Item("MUG", "Mug", 3, D("33.33"), D(25)),), taxes_included=True),
}


@pytest.mark.parametrize("mapper", MAPPERS)
@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_rackbeat_total_equals_shop_total(mapper: str, scenario: Scenario) -> None:
    order = MAPPERS[mapper](scenario)
    payload = payload_for(order)

    assert rackbeat_order_total(payload) == order.total
    for shop_line, rb_line in zip(order.lines, product_lines(payload)):
        assert rackbeat_line_net(rb_line) == shop_line.net_total


@pytest.mark.parametrize("mapper", MAPPERS)
def test_lines_map_one_to_one_by_sku(mapper: str) -> None:
    scenario = awkward_scenario(taxes_included=True)
    order = MAPPERS[mapper](scenario)
    lines = product_lines(payload_for(order))

    assert [line["item_id"] for line in lines] == [item.sku for item in scenario.items]
    assert [D(line["quantity"]) for line in lines] == [D(item.quantity) for item in scenario.items]
    assert [D(line["vat_percentage"]) for line in lines] == [item.vat for item in scenario.items]
    for item, line in zip(scenario.items, lines):
        # a tax-inclusive price is sent without VAT, to 4 decimals
        assert abs(D(line["line_price"]) - item.price / (1 + item.vat / 100)) < D("0.0001")
        assert len(line["line_price"].split(".")[1]) == 4
        assert D(line["discount_percentage"]) > 0  # every line carries the code, the book also its own discount


def test_undiscounted_line_has_no_discount_percentage() -> None:
    order = via_rest(SCENARIOS["3 x 33.33 incl 25%"])
    (line,) = product_lines(payload_for(order))
    assert D(line["discount_percentage"]) == 0
    assert D(line["line_price"]) == (D("33.33") / D("1.25")).quantize(D("0.0001"))


def test_discount_percentage_reflects_the_shop_discount() -> None:
    scenario = awkward_scenario()
    order = via_rest(scenario)
    book = product_lines(payload_for(order))[1]
    item = scenario.items[1]
    own_and_code = D("15.00") + (item.price * item.quantity - D("15.00")) * D("0.10")
    assert abs(D(book["discount_percentage"]) - own_and_code / (item.price * item.quantity) * 100) < D("0.01")


def test_shipping_line_uses_the_shipping_product_with_its_vat() -> None:
    scenario = awkward_scenario(taxes_included=True, shipping=D("49.00"))
    payload = payload_for(via_rest(scenario))
    (shipping,) = [line for line in payload["lines"] if line["item_id"] == "SHIPPING"]
    assert shipping["name"] == scenario.shipping_title
    assert D(shipping["vat_percentage"]) == 25
    assert rackbeat_line_net(shipping) == D("49.00") - tax_on(D("49.00"), D(25), True)


@pytest.mark.parametrize("mapper", MAPPERS)
def test_free_shipping_is_left_out_unless_always_configured(mapper: str) -> None:
    order = MAPPERS[mapper](awkward_scenario(shipping=D(0)))
    assert not [line for line in payload_for(order)["lines"] if line["item_id"] == "SHIPPING"]

    always = replace(OPTIONS, always_add_shipping=True)
    (shipping,) = [line for line in payload_for(order, always)["lines"] if line["item_id"] == "SHIPPING"]
    assert D(shipping["line_price"]) == 0
    assert rackbeat_order_total(payload_for(order, always)) == order.total


def test_header_fields() -> None:
    order = via_rest(awkward_scenario(currency="EUR"))
    payload = payload_for(order)

    assert payload["customer_id"] == "10042"
    assert payload["currency"] == "EUR"
    assert payload["other_reference"] == "rbsync:shopA:450789469"
    assert payload["heading"] == "Shopify #1001"
    assert payload["order_date"] == "2026-03-02"  # the shop's local date, not UTC's
    assert payload["address_name"] == "Ada Lovelace"
    assert payload["address_street"] == "Algade 1"
    assert payload["address_zipcode"] == "9000"
    assert payload["address_city"] == "Aalborg"
    assert payload["address_country"] == "Denmark"
    assert payload["delivery_address_street"] == "Algade 1"
    assert payload_for(via_woo(awkward_scenario()))["heading"] == "WooCommerce #1001"


def test_location_goes_on_product_lines_only() -> None:
    payload = payload_for(via_rest(awkward_scenario()), replace(OPTIONS, location_id=3))
    assert all(line["location_id"] == 3 for line in product_lines(payload))
    assert all("location_id" not in line for line in payload["lines"] if line["item_id"] == "SHIPPING")


def test_payload_survives_json_round_trip() -> None:
    order = via_woo(awkward_scenario(taxes_included=True))
    payload = payload_for(order)
    assert rackbeat_order_total(json.loads(json.dumps(payload))) == order.total
    assert rackbeat_order_total(json.loads(json.dumps(payload), parse_float=Decimal)) == order.total


def _price_where_vat_rounding_differs() -> Decimal:
    """A tax-inclusive unit price whose shop VAT (taken out of the gross) differs from Rackbeat's (on the net)."""
    for cents_value in range(1000, 100000):
        gross = D(cents_value) / 100
        tax = tax_on(gross, D(25), True)
        if tax_on(gross - tax, D(25), False) != tax:
            return gross
    raise AssertionError("no such price")


@pytest.mark.parametrize("mapper", MAPPERS)
def test_vat_rounding_difference_goes_on_a_vat_free_rounding_line(mapper: str) -> None:
    price = _price_where_vat_rounding_differs()
    order = MAPPERS[mapper](Scenario(items=(Item("MUG", "Mug", 1, price, D(25)),), taxes_included=True))
    payload = payload_for(order)

    (rounding,) = rounding_lines(payload)
    assert D(rounding["vat_percentage"]) == 0
    assert abs(D(rounding["line_price"])) == D("0.01")
    assert rackbeat_order_total(payload) == order.total


@pytest.mark.parametrize("mapper", MAPPERS)
def test_unmapped_amount_is_refused_with_the_amounts(mapper: str) -> None:
    order = MAPPERS[mapper](awkward_scenario())
    inflated = replace(order, total=order.total + D("25.00"))  # e.g. a fee or duty we do not map

    with pytest.raises(TerminalError) as caught:
        payload_for(inflated)
    reason = caught.value.reason
    assert order.shop_id in reason and order.name in reason and order.shop_order_id in reason
    assert str(inflated.total) in reason and str(order.total) in reason


def test_woo_fee_line_is_not_silently_dropped() -> None:
    body = woo_order(awkward_scenario())
    body["fee_lines"] = [{"id": 321, "name": "Gift wrap", "total": "20.00", "total_tax": "5.00", "taxes": []}]
    body["total"] = str(D(body["total"]) + D("25.00"))

    with pytest.raises(TerminalError, match="unmapped fees"):
        payload_for(order_from_woocommerce(body, "wooB"))


def test_line_problems_block_the_payload() -> None:
    scenario = awkward_scenario()
    bad = replace(scenario, items=(replace(scenario.items[0], sku=None), *scenario.items[1:]))
    with pytest.raises(TerminalError, match="missing SKU"):
        payload_for(via_rest(bad))


@pytest.mark.parametrize("mapper", MAPPERS)
@pytest.mark.parametrize("seed", range(60))
def test_random_orders_total_to_the_cent(mapper: str, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5):
        scenario = random_scenario(rng)
        order = MAPPERS[mapper](scenario)
        payload = payload_for(order)

        assert rackbeat_order_total(payload) == order.total
        assert not line_problems(order)
        assert [line["item_id"] for line in product_lines(payload)] == [item.sku for item in scenario.items]
        for shop_line, rb_line in zip(order.lines, product_lines(payload)):
            assert rackbeat_line_net(rb_line) == shop_line.net_total
            assert D(rb_line["vat_percentage"]) == shop_line.vat_rate
        # only per-line VAT rounding may be left, at most a cent per line
        for rounding in rounding_lines(payload):
            assert abs(D(rounding["line_price"])) <= D("0.01") * len(payload["lines"])
