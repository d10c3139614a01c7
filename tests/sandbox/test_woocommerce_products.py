"""Products and variations of the WooCommerce emulator: paging, SKU lookup, SKU uniqueness, stock rules."""

from __future__ import annotations

import pytest

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running

SEED = WooSeed(simple_skus=["S-1", "S-2", "S-3"], variable={"TEE": ["TEE-S", "TEE-M"]}, stock_quantity=7)


@pytest.fixture
async def client():
    async with running(WooEmulator([SiteSpec("shop", "ck", "cs", "whsec", seed=SEED)])) as client:
        yield client


async def test_paging_headers_and_links(client):
    first = await client.api("GET", "products", params={"per_page": 3, "orderby": "id", "order": "asc"})
    assert first.status == 200
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("4", "2")
    assert [p["sku"] for p in first.body] == ["S-1", "S-2", "S-3"]
    assert first.headers["Link"].endswith('page=2>; rel="next"')
    assert 'rel="prev"' not in first.headers["Link"]

    second = await client.api("GET", "products", params={"per_page": 3, "orderby": "id", "order": "asc", "page": 2})
    assert [p["sku"] for p in second.body] == ["TEE"]
    assert second.headers["Link"].endswith('page=1>; rel="prev"')
    assert "per_page=3" in second.headers["Link"]

    beyond = await client.api("GET", "products", params={"page": 9})
    assert (beyond.status, beyond.body) == (200, [])


@pytest.mark.parametrize("per_page", [0, 101, "abc"])
async def test_per_page_outside_1_to_100_is_rest_invalid_param(client, per_page):
    answer = await client.api("GET", "products", params={"per_page": per_page})
    assert answer.status == 400
    assert answer.body["code"] == "rest_invalid_param"
    assert "per_page" in answer.body["data"]["params"]


async def test_sku_lookup_spans_variations_and_comma_lists(client):
    answer = await client.api("GET", "products", params={"sku": "TEE-M,S-2"})
    by_sku = {p["sku"]: p for p in answer.body}
    assert set(by_sku) == {"TEE-M", "S-2"}
    variation = by_sku["TEE-M"]
    parent = (await client.api("GET", "products", params={"sku": "TEE"})).body[0]
    assert (variation["type"], variation["parent_id"]) == ("variation", parent["id"])
    assert variation["id"] in parent["variations"]
    assert (await client.api("GET", "products", params={"sku": "TEE-"})).body == []  # exact, not partial


async def test_plain_listing_and_search_leave_variations_out(client):
    listed = await client.api("GET", "products", params={"per_page": 100})
    assert {p["type"] for p in listed.body} == {"simple", "variable"}
    found = await client.api("GET", "products", params={"search": "product s-2"})
    assert [p["sku"] for p in found.body] == ["S-2"]


async def test_duplicate_sku_across_products_and_variations_is_rejected(client):
    variation = (await client.api("GET", "products", params={"sku": "TEE-S"})).body[0]
    answer = await client.api("POST", "products", json={"name": "Clash", "sku": "TEE-S", "regular_price": "5"})
    assert answer.status == 400
    assert answer.body == {
        "code": "product_invalid_sku",
        "message": "Invalid or duplicated SKU.",
        "data": {"status": 400, "resource_id": variation["id"], "unique_sku": "TEE-S-1"},
    }
    s1 = (await client.api("GET", "products", params={"sku": "S-1"})).body[0]
    clash = await client.api("PUT", f"products/{s1['id']}", json={"sku": "S-2"})
    assert clash.body["code"] == "product_invalid_sku"
    # Keeping one's own SKU and empty SKUs are fine.
    assert (await client.api("PUT", f"products/{s1['id']}", json={"sku": "S-1"})).status == 200
    for _ in range(2):
        assert (await client.api("POST", "products", json={"name": "No SKU", "sku": ""})).status == 201


async def test_trashed_product_frees_its_sku_and_disappears_from_lookup(client):
    s3 = (await client.api("GET", "products", params={"sku": "S-3"})).body[0]
    trashed = await client.api("DELETE", f"products/{s3['id']}")
    assert trashed.body["status"] == "trash"
    assert (await client.api("DELETE", f"products/{s3['id']}")).status == 410
    assert (await client.api("GET", "products", params={"sku": "S-3"})).body == []
    assert (await client.api("POST", "products", json={"name": "Reuse", "sku": "S-3"})).status == 201


async def test_stock_is_written_only_when_managed(client):
    created = await client.api("POST", "products", json={"name": "Loose", "stock_quantity": 5, "regular_price": "9.50"})
    assert created.status == 201
    assert created.headers["Location"].endswith(f"/wp-json/wc/v3/products/{created.body['id']}")
    assert (created.body["manage_stock"], created.body["stock_quantity"]) == (False, None)

    pid = created.body["id"]
    managed = await client.api("PUT", f"products/{pid}", json={"manage_stock": True, "stock_quantity": 4})
    assert (managed.body["stock_quantity"], managed.body["stock_status"]) == (4, "instock")
    emptied = await client.api("PUT", f"products/{pid}", json={"stock_quantity": 0})
    assert emptied.body["stock_status"] == "outofstock"

    unmanaged = await client.api("PUT", f"products/{pid}", json={"manage_stock": False, "stock_quantity": 9,
                                                                   "backorders": "yes"})
    assert (unmanaged.body["stock_quantity"], unmanaged.body["backorders"]) == (None, "no")


async def test_variation_stock_and_parent_managed_stock(client):
    parent = (await client.api("GET", "products", params={"sku": "TEE"})).body[0]
    variations = await client.api("GET", f"products/{parent['id']}/variations")
    assert {v["sku"]: v["stock_quantity"] for v in variations.body} == {"TEE-S": 7, "TEE-M": 7}
    small = next(v for v in variations.body if v["sku"] == "TEE-S")
    updated = await client.api("PUT", f"products/{parent['id']}/variations/{small['id']}", json={"stock_quantity": 2})
    assert updated.body["stock_quantity"] == 2

    await client.api("PUT", f"products/{parent['id']}", json={"manage_stock": True, "stock_quantity": 30})
    inherited = await client.api("PUT", f"products/{parent['id']}/variations/{small['id']}", json={"manage_stock": False})
    assert (inherited.body["manage_stock"], inherited.body["stock_quantity"]) == ("parent", 30)


async def test_prices_must_be_json_strings(client):
    answer = await client.api("POST", "products", json={"name": "Typed", "regular_price": 10})
    assert answer.status == 400
    assert answer.body["data"]["params"] == {"regular_price": "regular_price is not of type string."}


async def test_product_json_shape(client):
    product = (await client.api("GET", "products", params={"sku": "S-1"})).body[0]
    assert product["price"] == product["regular_price"] == "100.00"
    assert product["categories"] == [{"id": 15, "name": "Uncategorized", "slug": "uncategorized"}]
    assert "T" in product["date_modified"] and "+" not in product["date_modified"]
    fetched = await client.api("GET", f"products/{product['id']}")
    assert fetched.body == product
    assert (await client.api("GET", "products/999999")).body["code"] == "woocommerce_rest_product_invalid_id"
    assert (await client.api("PUT", "products/999999", json={})).status == 400


async def test_inventory_delta_adds_to_managed_stock(client):
    s2 = (await client.api("GET", "products", params={"sku": "S-2"})).body[0]
    answer = await client.api("PUT", f"products/{s2['id']}", json={"inventory_delta": -3})
    assert answer.body["stock_quantity"] == 4


async def test_variable_product_price_and_stock_status_follow_its_variations(client):
    parent = (await client.api("GET", "products", params={"sku": "TEE"})).body[0]
    assert (parent["price"], parent["regular_price"], parent["stock_status"]) == ("100.00", "", "instock")
    variations = (await client.api("GET", f"products/{parent['id']}/variations")).body
    for variation in variations:
        await client.api("PUT", f"products/{parent['id']}/variations/{variation['id']}",
                         json={"stock_quantity": 0, "regular_price": "80.00" if variation["sku"] == "TEE-M" else "90"})
    parent = (await client.api("GET", f"products/{parent['id']}")).body
    assert (parent["price"], parent["stock_status"]) == ("80.00", "outofstock")
