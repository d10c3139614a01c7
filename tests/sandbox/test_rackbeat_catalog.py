"""Auth, errors, products (keys, validation, stock per location) and customers."""

from __future__ import annotations

import pytest

from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.rackbeat.harness import running


@pytest.fixture
async def rb():
    async with running(RackbeatEmulator()) as harness:
        yield harness


NEW_PRODUCT = {"number": "NEW-1", "name": "New", "sales_price": 12.5, "group": 1}


async def test_bad_or_missing_token_is_401_json(rb):
    for token in ("wrong", ""):
        answer = await rb.call("GET", "/products", token=token)
        assert answer.status == 401 and "message" in answer.body


async def test_unknown_keys_and_routes_are_404_json(rb):
    for path in ("/products/NOPE", "/orders/999", "/customers/999", "/no-such-resource"):
        answer = await rb.call("GET", path)
        assert answer.status == 404 and isinstance(answer.body["message"], str), path


async def test_create_get_update_delete_product(rb):
    created = await rb.call("POST", "/products", json=NEW_PRODUCT | {"physical": {"weight": 1.25}})
    assert created.status == 201
    product = created.body["product"]
    assert product["group"]["number"] == 1 and product["physical"]["weight"] == 1.25
    assert product["stock_quantity"] == 0 and product["created_at"].endswith("+00:00")
    updated = await rb.call("PUT", "/products/NEW-1", json={"sales_price": "13.1234", "is_barred": True})
    assert updated.status == 200
    assert updated.body["product"]["sales_price"] == 13.1234 and updated.body["product"]["is_barred"] is True
    assert updated.body["product"]["updated_at"] > product["updated_at"]
    assert (await rb.call("DELETE", "/products/NEW-1")).status == 200
    assert (await rb.call("GET", "/products/NEW-1")).status == 404


async def test_product_validation_is_422_with_field_errors(rb):
    missing = await rb.call("POST", "/products", json={})
    assert missing.status == 422
    assert {"number", "name", "sales_price", "group"} <= set(missing.body["errors"])
    assert isinstance(missing.body["message"], str)
    too_long = await rb.call("POST", "/products", json=NEW_PRODUCT | {"number": "X" * 26})
    assert too_long.status == 422 and "number" in too_long.body["errors"]
    assert (await rb.call("POST", "/products", json=NEW_PRODUCT | {"number": "X" * 25})).status == 201
    unknown_group = await rb.call("POST", "/products", json=NEW_PRODUCT | {"group": 99})
    assert unknown_group.status == 422 and "group" in unknown_group.body["errors"]
    duplicate = await rb.call("POST", "/products", json=NEW_PRODUCT | {"number": "P0001"})
    assert duplicate.status == 422 and "number" in duplicate.body["errors"]


async def test_numbers_with_slashes_are_found_single_double_or_urlfriendly(rb):
    created = await rb.call("POST", "/products", json=NEW_PRODUCT | {"number": "AB/12"})
    assert created.body["product"]["urlfriendly_number"] == "AB-12"
    for path in ("/products/AB%2F12", "/products/AB%252F12", "/products/AB-12"):
        answer = await rb.call("GET", path)
        assert answer.status == 200 and answer.body["product"]["number"] == "AB/12", path


async def test_stock_per_location_shape(rb):
    # [inferred] entry names: the notes leave the inner names of product_locations open.
    answer = await rb.call("GET", "/products/P0001/locations")
    assert answer.status == 206
    main, tpl = answer.body["product_locations"]
    assert main["location"] == {"number": 1, "name": "Main"} and tpl["location"] == {"number": 2, "name": "3PL"}
    assert (main["stock_quantity"], main["available_quantity"], main["in_order_quantity"]) == (100, 100, 0)
    assert tpl["stock_quantity"] == 20
    product = (await rb.call("GET", "/products/P0001")).body["product"]
    assert product["stock_quantity"] == 120 and product["available_quantity"] == 120


async def test_no_inventory_products_for_shipping_and_discount(rb):
    groups = (await rb.call("GET", "/product-groups")).body["product_groups"]
    assert [g["has_inventory"] for g in groups] == [True, False]
    shipping = (await rb.call("GET", "/products/shipping")).body["product"]
    assert shipping["group"]["number"] == 2 and shipping["inventory_enabled"] is False
    locations = (await rb.call("GET", "/locations")).body["locations"]
    assert [(loc["number"], loc["is_default"]) for loc in locations] == [(1, True), (2, False)]


async def test_sandbox_stock_control_sets_and_shifts_stock(rb):
    before = (await rb.call("GET", "/products/P0002")).body["product"]["updated_at"]
    await rb.call("POST", "/_sandbox/stock", json={"product": "P0002", "location": 2, "quantity": 7})
    shifted = await rb.call("POST", "/_sandbox/stock", json={"product": "P0002", "delta": -10})
    assert [e["stock_quantity"] for e in shifted.body["product_locations"]] == [90, 7]
    after = (await rb.call("GET", "/products/P0002")).body["product"]
    assert after["stock_quantity"] == 97 and after["updated_at"] > before


async def test_customers_are_auto_numbered_and_found_by_email(rb):
    buyer = {"name": "Shop Buyer", "contact_email": "buyer@shop.test", "vat_zone": "eu"}
    created = await rb.call("POST", "/customers", json=buyer)
    assert created.status == 201
    customer = created.body["customer"]
    assert customer["number"] == 4  # max(1..3) + 1
    assert customer["name"] == customer["company_name"] == "Shop Buyer"
    second = await rb.call("POST", "/customers", json={"company_name": "Other"})
    assert second.body["customer"]["number"] == 5
    found = await rb.call("GET", "/customers", params={"simple_filter[contact_email]": "buyer@shop.test"})
    assert [c["number"] for c in found.body["customers"]] == [4]
    bad = await rb.call("POST", "/customers", json={"vat_zone": "mars"})
    assert bad.status == 422 and {"company_name", "vat_zone"} <= set(bad.body["errors"])
    renamed = await rb.call("PUT", "/customers/4", json={"company_name": "Renamed"})
    assert renamed.body["customer"]["name"] == "Renamed"
    assert (await rb.call("DELETE", "/customers/5")).status == 200
    assert (await rb.call("GET", "/customers/5")).status == 404


async def test_self_identifies_the_account(rb):
    answer = await rb.call("GET", "/self")
    assert answer.status == 200 and answer.body["user_account"]["id"] == rb.emulator.state.account_id
