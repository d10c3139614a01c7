"""Rackbeat customer JSON for shop buyers, and the default customer for orders without email."""

from __future__ import annotations

from dataclasses import replace

import pytest

from daemon.sync.orders import (
    CustomerDefaults,
    customer_payload,
    default_customer_number,
    order_from_shopify_rest,
    order_from_woocommerce,
    vat_zone,
)
from tests.fixtures.shop_orders import awkward_scenario, shopify_rest_order, woo_order

DEFAULTS = CustomerDefaults(home_country="DK", customer_group_id=3, payment_terms_id=7, default_customer_number="99999")


@pytest.mark.parametrize("country,zone", [("DK", "domestic"), ("DE", "eu"), ("US", "abroad")])
@pytest.mark.parametrize("source", ["shopify", "woo"])
def test_vat_zone_from_billing_country(source: str, country: str, zone: str) -> None:
    scenario = awkward_scenario(country_code=country)
    order = (
        order_from_shopify_rest(shopify_rest_order(scenario), "shopA")
        if source == "shopify"
        else order_from_woocommerce(woo_order(scenario), "wooB")
    )
    payload = customer_payload(order, DEFAULTS)

    assert payload["vat_zone"] == zone
    assert payload["customer_group_id"] == 3
    assert payload["payment_terms_id"] == 7
    assert payload["contact_email"] == "ada@example.com"
    assert payload["company_name"] == "Ada Lovelace"
    assert payload["address_zipcode"] == "9000"
    assert payload["currency"] == order.currency
    assert default_customer_number(order, DEFAULTS) is None


def test_home_country_decides_what_domestic_means() -> None:
    assert vat_zone("DK", "SE") == "eu"
    assert vat_zone("se", "SE") == "domestic"
    assert vat_zone("NO", "SE") == "abroad"
    assert vat_zone(None, "DK") == "domestic"


def test_company_name_wins_over_person() -> None:
    order = order_from_shopify_rest(shopify_rest_order(awkward_scenario()), "shopA")
    order = replace(order, customer=replace(order.customer, company="Analytical Engines ApS"))
    assert customer_payload(order, DEFAULTS)["company_name"] == "Analytical Engines ApS"


def test_order_without_email_goes_to_the_default_customer() -> None:
    order = order_from_woocommerce(woo_order(awkward_scenario(email=None)), "wooB")
    assert default_customer_number(order, DEFAULTS) == "99999"
    with pytest.raises(ValueError, match="no email"):
        customer_payload(order, DEFAULTS)
