"""Order lifecycle and listing: statuses, stock side effects, notes, date windows and filters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running

SEED = WooSeed(simple_skus=["A", "B"], variable={"V": ["V-1"]}, stock_quantity=10)


@pytest.fixture
async def client():
    async with running(WooEmulator([SiteSpec("shop", "ck", "cs", "whsec", seed=SEED)])) as client:
        yield client


async def stock(client, sku: str) -> int:
    return (await client.api("GET", "products", params={"sku": sku})).body[0]["stock_quantity"]


def shift(stamp: str, seconds: int) -> str:
    return (datetime.fromisoformat(stamp) + timedelta(seconds=seconds)).isoformat()


async def test_paid_order_reduces_stock_once_and_cancel_restores_it(client):
    order = await client.place_order({"lines": [{"sku": "A", "quantity": 2}, {"sku": "V-1", "quantity": 3}],
                                      "billing": {"email": "kim@example.com", "first_name": "Kim"}})
    assert order["status"] == "processing"
    assert order["billing"]["email"] == "kim@example.com"
    assert order["line_items"][1]["variation_id"] != 0 and order["line_items"][0]["variation_id"] == 0
    assert (await stock(client, "A"), await stock(client, "V-1")) == (8, 7)
    assert order["date_paid_gmt"] is not None

    completed = await client.api("PUT", f"orders/{order['id']}", json={"status": "completed"})
    assert completed.body["status"] == "completed"
    assert await stock(client, "A") == 8  # already reduced

    await client.control("POST", f"orders/{order['id']}/status", {"status": "cancelled"})
    assert (await stock(client, "A"), await stock(client, "V-1")) == (10, 10)

    notes = (await client.api("GET", f"orders/{order['id']}/notes")).body
    texts = [n["note"] for n in reversed(notes)]  # the API lists newest first
    assert texts[0] == "Order status changed from Pending payment to Processing."
    assert texts[1].startswith("Stock levels reduced: Product A (A) 10&rarr;8")
    assert "Order status changed from Completed to Cancelled." in texts
    assert texts[-1].startswith("Stock levels increased:")


async def test_pending_order_does_not_touch_stock(client):
    order = await client.place_order({"lines": [{"sku": "B", "quantity": 4}], "status": "pending"})
    assert order["status"] == "pending" and order["date_paid"] is None
    assert await stock(client, "B") == 10
    await client.api("PUT", f"orders/{order['id']}", json={"status": "on-hold"})
    assert await stock(client, "B") == 6


async def test_every_status_is_accepted_and_unknown_ones_are_400(client):
    order = await client.place_order({"lines": [{"sku": "B", "quantity": 1}]})
    for status in ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"):
        answer = await client.api("PUT", f"orders/{order['id']}", json={"status": status})
        assert answer.body["status"] == status
    bad = await client.api("PUT", f"orders/{order['id']}", json={"status": "shipped"})
    assert (bad.status, bad.body["code"]) == (400, "rest_invalid_param")


async def test_notes_are_created_with_201_and_filtered_by_type(client):
    order = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
    created = await client.api("POST", f"orders/{order['id']}/notes",
                               json={"note": "Shipped via GLS 123", "customer_note": True})
    assert created.status == 201
    assert (created.body["note"], created.body["customer_note"], created.body["author"]) == (
        "Shipped via GLS 123", True, "system")
    customer = await client.api("GET", f"orders/{order['id']}/notes", params={"type": "customer"})
    assert [n["note"] for n in customer.body] == ["Shipped via GLS 123"]
    missing = await client.api("POST", f"orders/{order['id']}/notes", json={})
    assert (missing.status, missing.body["code"]) == (400, "rest_missing_callback_param")
    assert (await client.api("GET", "orders/424242/notes")).body["code"] == "woocommerce_rest_order_invalid_id"


async def test_modified_after_is_an_exclusive_window_in_gmt_or_site_time(client):
    order = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
    gmt, local = order["date_modified_gmt"], order["date_modified"]
    assert gmt != local  # the site runs on Europe/Copenhagen time

    async def listed(**params) -> list[int]:
        return [o["id"] for o in (await client.api("GET", "orders", params=params)).body]

    # [I] WP date_query "after"/"before" are exclusive.
    assert await listed(modified_after=shift(gmt, -1), dates_are_gmt="true") == [order["id"]]
    assert await listed(modified_after=gmt, dates_are_gmt="true") == []
    assert await listed(modified_after=shift(local, -1)) == [order["id"]]
    assert await listed(modified_after=local) == []
    assert await listed(modified_before=shift(gmt, 1), dates_are_gmt="true") == [order["id"]]
    assert await listed(modified_after=shift(gmt, -1) + "Z") == [order["id"]]  # a zone is honoured [I]
    bad = await client.api("GET", "orders", params={"modified_after": "yesterday"})
    assert (bad.status, bad.body["code"]) == (400, "rest_invalid_param")


async def test_status_filter_takes_single_comma_list_or_array_and_any_skips_trash(client):
    pending = await client.place_order({"lines": [{"sku": "A", "quantity": 1}], "status": "pending"})
    done = await client.place_order({"lines": [{"sku": "A", "quantity": 1}], "status": "completed"})
    trashed = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
    assert (await client.api("DELETE", f"orders/{trashed['id']}")).body["status"] == "trash"

    async def listed(params) -> set[int]:
        return {o["id"] for o in (await client.api("GET", "orders", params=params)).body}

    assert await listed({}) == {pending["id"], done["id"]}
    assert await listed({"status": "pending"}) == {pending["id"]}
    assert await listed({"status": "pending,completed"}) == {pending["id"], done["id"]}
    assert await listed([("status[]", "completed"), ("status[]", "trash")]) == {done["id"], trashed["id"]}
    assert (await client.api("GET", "orders", params={"status": "nope"})).status == 400


async def test_order_listing_orders_by_modified_with_paging(client):
    placed = [await client.place_order({"lines": [{"sku": "B", "quantity": 1}]}) for _ in range(3)]
    await client.api("PUT", f"orders/{placed[0]['id']}", json={"customer_note": "touched"})
    page = await client.api("GET", "orders", params={"orderby": "modified", "order": "asc", "per_page": 2})
    assert page.headers["X-WP-Total"] == "3" and page.headers["X-WP-TotalPages"] == "2"
    by_id = await client.api("GET", "orders", params={"orderby": "id", "order": "asc", "per_page": 100})
    assert [o["id"] for o in by_id.body] == [o["id"] for o in placed]
    # Orders share the post id sequence with products, so their ids are not 1, 2, 3.
    assert placed[0]["id"] > 4 and placed[0]["number"] == str(placed[0]["id"])


async def test_date_modified_changes_on_updates_and_only_then(client):
    order = await client.place_order({"lines": [{"sku": "B", "quantity": 1}]})
    site = client.emulator.sites["shop"]
    stored = site.store.orders[order["id"]]
    stored.date_modified -= timedelta(minutes=5)  # age the order instead of sleeping
    before = (await client.api("GET", f"orders/{order['id']}")).body["date_modified_gmt"]
    unchanged = await client.api("PUT", f"orders/{order['id']}", json={"status": "processing"})
    assert unchanged.body["date_modified_gmt"] == before
    changed = await client.api("PUT", f"orders/{order['id']}", json={"billing": {"phone": "+45 1234"}})
    assert changed.body["date_modified_gmt"] > before
    assert changed.body["billing"]["phone"] == "+45 1234"


async def test_checkout_refuses_more_than_the_stock_unless_told_to_oversell(client):
    url = f"{client.base_url}/_sandbox/shop/orders"
    async with client.session.post(url, json={"lines": [{"sku": "A", "quantity": 11}]}) as response:
        body = await response.json()
    assert (response.status, body["code"]) == (400, "woocommerce_rest_not_enough_stock")
    assert "(10 available)" in body["message"]
    assert (await client.state())["orders"] == []
    oversold = await client.place_order({"lines": [{"sku": "A", "quantity": 11}], "ignore_stock": True})
    assert oversold["status"] == "processing"
    assert await stock(client, "A") == -1
