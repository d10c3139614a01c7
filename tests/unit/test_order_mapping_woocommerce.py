"""WooCommerce REST v3 orders -> canonical Order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from daemon.sync.model import CANCELLED, FULFILLED, PAID, PENDING, REFUNDED, WOOCOMMERCE
from daemon.sync.orders import order_from_woocommerce
from tests.fixtures.shop_orders import D, awkward_scenario, line_discounts, woo_order


def test_header_and_customer() -> None:
    order = order_from_woocommerce(woo_order(awkward_scenario(currency="SEK")), "wooB")

    assert (order.shop_id, order.shop_type, order.shop_order_id) == ("wooB", WOOCOMMERCE, "450789469")
    assert (order.name, order.number) == ("#1001", "1001")
    assert order.currency == "SEK"
    assert order.discount_codes == ("SPRING10",)
    assert order.customer.email == "ada@example.com"
    assert order.customer.name == "Ada Lovelace"
    assert order.customer.shop_customer_id == "25"
    assert order.billing_address.country_code == "DK"
    assert order.billing_address.country is None  # Woo only sends the code
    assert order.billing_address.zipcode == "9000"


def test_dates_keep_the_site_offset() -> None:
    body = woo_order(awkward_scenario())
    body["date_created"], body["date_created_gmt"] = "2026-03-03T00:30:00", "2026-03-02T23:30:00"
    order = order_from_woocommerce(body, "wooB")

    assert order.created_at == datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc)
    assert order.created_at.utcoffset() == timedelta(hours=1)
    assert order.created_at.date().isoformat() == "2026-03-03"
    assert order.updated_at == datetime(2026, 3, 3, 7, 0, tzinfo=timezone.utc)


def test_guest_order_has_no_customer_id_or_email() -> None:
    order = order_from_woocommerce(woo_order(awkward_scenario(email=None)), "wooB")
    assert order.customer.shop_customer_id is None
    assert order.customer.email is None


@pytest.mark.parametrize("included", [False, True])
def test_lines_read_excl_vat_totals_and_coupon_allocation(included: bool) -> None:
    scenario = awkward_scenario(taxes_included=included)
    body = woo_order(scenario)
    order = order_from_woocommerce(body, "wooB")

    for item, discount, raw, line in zip(scenario.items, line_discounts(scenario), body["line_items"], order.lines):
        assert line.sku == item.sku and line.quantity == item.quantity and line.vat_rate == item.vat
        assert line.net_total == D(raw["total"]) and line.vat_total == D(raw["total_tax"])
        assert line.discount == D(raw["subtotal"]) - D(raw["total"])
        if included:
            assert line.gross_total == item.price * item.quantity - discount
            assert line.unit_price_excl_vat == (item.price / (1 + item.vat / 100)).quantize(D("0.0001"))
        else:
            assert line.net_total == item.price * item.quantity - discount
            assert line.unit_price_excl_vat == item.price
    assert order.taxes_included is included
    assert sum(l.gross_total for l in order.lines) + sum(s.gross_total for s in order.shipping_lines) == order.total


def test_shipping_and_missing_rate_percent() -> None:
    body = woo_order(awkward_scenario())
    for tax in body["tax_lines"]:
        del tax["rate_percent"]  # WC before 5.7: derived from the amounts
    order = order_from_woocommerce(body, "wooB")
    (shipping,) = order.shipping_lines
    assert shipping.title == "Standard" and shipping.net_total == D("49.00") and shipping.vat_rate == 25
    assert [line.vat_rate for line in order.lines] == [25, 12, 0]


STATUSES = [
    ("pending", PENDING, "pending"),
    ("on-hold", PENDING, "pending"),
    ("failed", PENDING, "pending"),
    ("checkout-draft", PENDING, "pending"),
    ("processing", PAID, "paid"),
    ("completed", FULFILLED, "paid"),
    ("refunded", REFUNDED, "refunded"),
    ("cancelled", CANCELLED, "pending"),
    ("some-plugin-status", PENDING, "pending"),
]


@pytest.mark.parametrize("status,normalised,financial", STATUSES)
def test_status_normalisation(status: str, normalised: str, financial: str) -> None:
    order = order_from_woocommerce(woo_order(awkward_scenario(woo_status=status)), "wooB")
    assert order.shop_status == status
    assert order.status == normalised
    assert order.financial_status == financial
    assert order.cancelled is (normalised == CANCELLED)
