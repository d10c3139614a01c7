"""Batch endpoints: one 100-item limit over create+update+delete, and per-item errors."""

from __future__ import annotations

import pytest

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running


@pytest.fixture
async def client():
    seed = WooSeed(simple_skus=["A", "B"], variable={"V": ["V-1", "V-2"]})
    async with running(WooEmulator([SiteSpec("shop", "ck", "cs", "whsec", seed=seed)])) as client:
        yield client


async def ids(client) -> dict[str, int]:
    listed = await client.api("GET", "products", params={"sku": "A,B,V,V-1,V-2"})
    return {p["sku"]: p["id"] for p in listed.body}


async def test_more_than_100_items_counted_together_is_413(client):
    body = {"create": [{"name": f"N{i}"} for i in range(50)], "update": [{"id": 1}] * 50, "delete": [1]}
    answer = await client.api("POST", "products/batch", json=body)
    assert answer.status == 413
    assert answer.body == {
        "code": "woocommerce_rest_request_entity_too_large",
        "message": "Unable to accept more than 100 items for this request.",
        "data": {"status": 413},
    }
    assert len((await client.state())["products"]) == 5  # nothing was written


async def test_exactly_100_items_are_accepted(client):
    known = await ids(client)
    body = {"update": [{"id": known["A"], "stock_quantity": n} for n in range(100)]}
    answer = await client.api("POST", "products/batch", json=body)
    assert answer.status == 200
    assert answer.body["update"][-1]["stock_quantity"] == 99


async def test_per_item_errors_do_not_stop_the_batch(client):
    known = await ids(client)
    body = {
        "create": [{"name": "New", "sku": "NEW"}, {"name": "Dup", "sku": "A"}],
        "update": [{"id": known["B"], "regular_price": "42.00"}, {"id": 999999, "regular_price": "1.00"}],
        "delete": [known["A"], 888888],
    }
    answer = await client.api("POST", "products/batch", json=body)
    assert answer.status == 200
    created, duplicate = answer.body["create"]
    assert created["sku"] == "NEW"
    assert duplicate["id"] == 0
    assert duplicate["error"]["code"] == "product_invalid_sku"
    assert duplicate["error"]["data"]["resource_id"] == known["A"]

    updated, missing = answer.body["update"]
    assert updated["regular_price"] == "42.00"
    assert missing == {
        "id": 999999,
        "error": {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.", "data": {"status": 400}},
    }
    deleted, not_found = answer.body["delete"]
    assert deleted["id"] == known["A"]
    assert (not_found["id"], not_found["error"]["data"]["status"]) == (888888, 404)
    # Batch deletes are forced: the product is gone, not trashed.
    assert (await client.api("GET", f"products/{known['A']}")).status == 404


async def test_variation_batch_updates_stock_per_variation(client):
    known = await ids(client)
    body = {"update": [{"id": known["V-1"], "stock_quantity": 3}, {"id": known["A"], "stock_quantity": 1}]}
    answer = await client.api("POST", f"products/{known['V']}/variations/batch", json=body)
    ok, foreign = answer.body["update"]
    assert (ok["sku"], ok["stock_quantity"]) == ("V-1", 3)
    assert foreign["error"]["code"] == "woocommerce_rest_product_variation_invalid_id"


async def test_order_batch_updates_statuses(client):
    order = await client.place_order({"lines": [{"sku": "B", "quantity": 1}], "status": "processing"})
    body = {"update": [{"id": order["id"], "status": "completed"}, {"id": 999999, "status": "completed"}]}
    answer = await client.api("POST", "orders/batch", json=body)
    done, missing = answer.body["update"]
    assert done["status"] == "completed"
    assert missing["error"] == {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.",
                                "data": {"status": 400}}
