"""Shopify REST/webhook and GraphQL orders -> canonical Order."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from daemon.sync.model import CANCELLED, FULFILLED, PAID, PENDING, REFUNDED, SHOPIFY
from daemon.sync.orders import order_from_shopify_graphql, order_from_shopify_rest
from tests.fixtures.shop_orders import (
    D,
    Item,
    Scenario,
    awkward_scenario,
    line_discounts,
    random_scenario,
    shopify_graphql_node,
    shopify_rest_order,
)


def test_rest_order_header() -> None:
    order = order_from_shopify_rest(shopify_rest_order(awkward_scenario(currency="EUR")), "shopA")

    assert (order.shop_id, order.shop_type, order.shop_order_id) == ("shopA", SHOPIFY, "450789469")
    assert (order.name, order.number) == ("#1001", "1001")
    assert order.created_at == datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    assert order.created_at.utcoffset() == timedelta(hours=1)
    assert order.currency == "EUR"
    assert order.discount_codes == ("SPRING10",)
    assert order.customer.email == "ada@example.com"
    assert order.customer.name == "Ada Lovelace"
    assert order.customer.shop_customer_id == "207119551"
    assert order.billing_address.country_code == "DK"
    assert order.billing_address.country == "Denmark"
    assert order.shipping_address.street == "Algade 1"


def test_rest_wrapped_in_order_key_is_accepted() -> None:
    body = shopify_rest_order(awkward_scenario())
    assert order_from_shopify_rest({"order": body}, "shopA") == order_from_shopify_rest(body, "shopA")


@pytest.mark.parametrize("included", [False, True])
def test_rest_lines_keep_the_shop_amounts(included: bool) -> None:
    scenario = awkward_scenario(taxes_included=included)
    body = shopify_rest_order(scenario)
    order = order_from_shopify_rest(body, "shopA")

    for item, discount, raw, line in zip(scenario.items, line_discounts(scenario), body["line_items"], order.lines):
        charged = item.price * item.quantity - discount
        tax = D(raw["tax_lines"][0]["price"])
        assert line.sku == item.sku and line.name == item.name and line.quantity == item.quantity
        assert line.vat_rate == item.vat
        assert line.vat_total == tax
        assert (line.gross_total if included else line.net_total) == charged
        divisor = 1 + item.vat / 100 if included else 1
        assert line.unit_price_excl_vat == (item.price / divisor).quantize(D("0.0001"))
        assert abs(line.discount - discount / divisor) <= D("0.005")
    assert sum(l.gross_total for l in order.lines) + sum(s.gross_total for s in order.shipping_lines) == order.total


def test_three_at_33_33_including_vat() -> None:
    scenario = Scenario(items=(Item("MUG", "Mug", 3, D("33.33"), D(25)),), taxes_included=True)
    (line,) = order_from_shopify_rest(shopify_rest_order(scenario), "shopA").lines
    gross = D("99.99")
    assert line.vat_total == (gross / 5).quantize(D("0.01"))
    assert line.net_total == gross - line.vat_total
    assert line.unit_price_excl_vat == D("26.6640")


def test_shipping_line_with_tax() -> None:
    for included in (False, True):
        order = order_from_shopify_rest(shopify_rest_order(awkward_scenario(taxes_included=included)), "shopA")
        (shipping,) = order.shipping_lines
        assert shipping.title == "Standard" and shipping.vat_rate == 25
        assert (shipping.gross_total if included else shipping.net_total) == D("49.00")


def test_removed_shipping_line_is_ignored() -> None:
    body = shopify_rest_order(awkward_scenario())
    body["shipping_lines"][0]["is_removed"] = True
    assert order_from_shopify_rest(body, "shopA").shipping_lines == ()


def test_untaxed_line_with_a_tax_line_has_rate_zero_and_stacked_rates_add() -> None:
    body = shopify_rest_order(awkward_scenario())
    body["line_items"][0]["tax_lines"] = [{"title": "VAT", "price": "0.00", "rate": 0.25}]  # tax-exempt buyer
    body["line_items"][1]["tax_lines"] = [
        {"title": "GST", "price": "10.00", "rate": 0.05},
        {"title": "PST", "price": "14.00", "rate": 0.07},
    ]
    order = order_from_shopify_rest(body, "shopA")
    assert order.lines[0].vat_rate == 0
    assert order.lines[1].vat_rate == 12
    assert order.lines[1].vat_total == D("24.00")


def test_blank_sku_is_none_and_sku_is_trimmed() -> None:
    body = shopify_rest_order(awkward_scenario())
    body["line_items"][0]["sku"] = "   "
    body["line_items"][1]["sku"] = " BOOK-042 "
    order = order_from_shopify_rest(body, "shopA")
    assert order.lines[0].sku is None
    assert order.lines[1].sku == "BOOK-042"


STATUSES = [
    # financial, fulfillment, cancelled -> normalised
    ("pending", None, False, PENDING),
    ("authorized", None, False, PENDING),
    ("paid", None, False, PAID),
    ("partially_refunded", "partial", False, PAID),
    ("paid", "fulfilled", False, FULFILLED),
    ("refunded", "fulfilled", False, REFUNDED),
    ("paid", None, True, CANCELLED),
]


@pytest.mark.parametrize("financial,fulfillment,cancelled,expected", STATUSES)
def test_status_is_normalised_the_same_in_rest_and_graphql(
    financial: str, fulfillment: str | None, cancelled: bool, expected: str
) -> None:
    scenario = awkward_scenario(financial_status=financial, fulfillment_status=fulfillment, cancelled=cancelled)
    body = shopify_rest_order(scenario)
    rest = order_from_shopify_rest(body, "shopA")
    graphql = order_from_shopify_graphql(shopify_graphql_node(body), "shopA")
    assert rest.status == graphql.status == expected
    assert rest.cancelled is graphql.cancelled is cancelled
    assert rest.financial_status == financial
    words = {None: "unfulfilled", "partial": "partially_fulfilled"}
    assert rest.fulfillment_status == graphql.fulfillment_status == words.get(fulfillment, fulfillment)


@pytest.mark.parametrize("edges", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_graphql_node_maps_to_the_same_order_as_rest(seed: int, edges: bool) -> None:
    body = shopify_rest_order(random_scenario(random.Random(seed)))
    assert order_from_shopify_graphql(shopify_graphql_node(body, edges=edges), "shopA") == order_from_shopify_rest(
        body, "shopA"
    )


def test_graphql_tolerates_missing_optional_fields() -> None:
    node = shopify_graphql_node(shopify_rest_order(awkward_scenario()))
    del node["legacyResourceId"]
    for item in node["lineItems"]["nodes"]:
        for tax in item["taxLines"]:
            del tax["ratePercentage"]  # only the fraction
    node["shippingLines"] = None
    order = order_from_shopify_graphql(node, "shopA")
    assert order.shop_order_id == "450789469"
    assert [line.vat_rate for line in order.lines] == [25, 12, 0]
    assert order.shipping_lines == ()
    assert isinstance(order.total, Decimal)
