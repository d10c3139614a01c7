"""Webhooks as WooCommerce sends them: ping, signature, payload at send time, coalescing, no retries,
auto-disable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from daemon.sandbox.common import serve
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import WebhookReceiver, running

SECRET = "s3cr&t"


@pytest.fixture
async def client():
    seed = WooSeed(simple_skus=["A", "B"], variable={"V": ["V-1"]})
    async with running(WooEmulator([SiteSpec("shop", "ck", "cs", SECRET, seed=seed)])) as client:
        yield client


async def subscribe(client, receiver_url: str, topic: str) -> dict:
    answer = await client.api("POST", "webhooks", json={"name": topic, "topic": topic, "delivery_url": receiver_url,
                                                         "secret": SECRET, "status": "active"})
    assert answer.status == 201
    return answer.body


async def product_id(client, sku: str) -> int:
    return (await client.api("GET", "products", params={"sku": sku})).body[0]["id"]


def verify(headers: dict[str, str], body: bytes, secret: str) -> bool:
    """Receiver-side check, independent of the emulator: base64(HMAC-SHA256(secret, raw body))."""
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, headers["X-WC-Webhook-Signature"])


async def test_creation_pings_unsigned_and_only_200_clears_pending(client):
    receiver = WebhookReceiver(statuses=[204])
    async with serve(receiver.app) as url:
        hook = await subscribe(client, url + "/hook", "order.created")
        (headers, body), = receiver.requests
        assert body == f"webhook_id={hook['id']}".encode()
        assert headers["User-Agent"].startswith("WooCommerce/9.") and "Hookshot (WordPress/6." in headers["User-Agent"]
        assert not [h for h in headers if h.lower().startswith("x-wc-")]
        assert "Content-Type" not in headers
        state = await client.state()
        assert state["webhooks"][0]["pending_delivery"] is True  # 204 is not an exact 200

        await client.api("PUT", f"webhooks/{hook['id']}", json={"status": "paused"})
        await client.control("POST", f"webhooks/{hook['id']}/activate")
        assert len(receiver.requests) == 2  # re-activation pings again while the first delivery is pending
        assert (await client.state())["webhooks"][0]["pending_delivery"] is False
    assert (hook["resource"], hook["event"], hook["hooks"]) == ("order", "created", ["woocommerce_new_order"])
    assert "secret" not in hook


async def test_delivery_is_signed_with_all_headers(client):
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        hook = await subscribe(client, url, "order.created")
        order = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await client.emulator.drain_webhooks()
        (headers, body), = receiver.deliveries()
    assert verify(headers, body, SECRET)
    assert not verify(headers, body + b" ", SECRET)
    assert headers["X-WC-Webhook-Source"] == client.site_url + "/"
    assert (headers["X-WC-Webhook-Topic"], headers["X-WC-Webhook-Resource"], headers["X-WC-Webhook-Event"]) == (
        "order.created", "order", "created")
    assert headers["X-WC-Webhook-ID"] == str(hook["id"])
    assert len(headers["X-WC-Webhook-Delivery-ID"]) == 32
    assert headers["Content-Type"] == "application/json"
    assert b": " not in body and b"\\/" in body  # compact, slashes escaped like wp_json_encode
    payload = json.loads(body)
    # Built at send time: the order had already moved from pending to processing.
    assert (payload["id"], payload["status"]) == (order["id"], "processing")


async def test_every_delivery_gets_a_new_delivery_id(client):
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        await subscribe(client, url, "product.updated")
        pid = await product_id(client, "A")
        for quantity in (1, 2):
            await client.api("PUT", f"products/{pid}", json={"stock_quantity": quantity})
            await client.emulator.drain_webhooks()
    ids = [h["X-WC-Webhook-Delivery-ID"] for h, _ in receiver.deliveries()]
    assert len(ids) == 2 and ids[0] != ids[1]


async def test_pending_deliveries_coalesce_per_webhook_and_resource(client):
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        await subscribe(client, url, "product.updated")
        a, b = await product_id(client, "A"), await product_id(client, "B")
        await client.control("PUT", "webhooks/queue", {"paused": True})
        for quantity in (5, 6, 7):
            await client.api("PUT", f"products/{a}", json={"stock_quantity": quantity})
        await client.api("PUT", f"products/{b}", json={"stock_quantity": 1})
        assert receiver.deliveries() == []
        await client.control("PUT", "webhooks/queue", {"paused": False})
        await client.emulator.drain_webhooks()
    payloads = sorted((json.loads(body) for _, body in receiver.deliveries()), key=lambda p: p["sku"])
    assert [(p["sku"], p["stock_quantity"]) for p in payloads] == [("A", 7), ("B", 1)]


async def test_variation_changes_and_deletes_use_product_topics(client):
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        await subscribe(client, url, "product.updated")
        await subscribe(client, url, "product.deleted")
        parent, variation = await product_id(client, "V"), await product_id(client, "V-1")
        await client.api("PUT", f"products/{parent}/variations/{variation}", json={"stock_quantity": 3})
        await client.emulator.drain_webhooks()
        await client.api("DELETE", f"products/{parent}/variations/{variation}", params={"force": "true"})
        await client.emulator.drain_webhooks()
    (updated_headers, updated), (deleted_headers, deleted) = receiver.deliveries()
    assert json.loads(updated)["type"] == "variation"
    assert deleted_headers["X-WC-Webhook-Topic"] == "product.deleted"
    assert json.loads(deleted) == {"id": variation}


async def test_failed_delivery_is_not_retried_and_success_resets_the_count(client):
    receiver = WebhookReceiver(statuses=[200, 500])  # the ping, then the first delivery
    async with serve(receiver.app) as url:
        await subscribe(client, url, "order.created")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await client.emulator.drain_webhooks()
        assert len(receiver.deliveries()) == 1
        await client.emulator.drain_webhooks()
        assert len(receiver.deliveries()) == 1  # never re-sent
        assert (await client.state())["webhooks"][0]["failure_count"] == 1

        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await client.emulator.drain_webhooks()
    state = await client.state()
    assert state["webhooks"][0]["failure_count"] == 0
    assert [d["status"] for d in state["deliveries"] if d["kind"] == "delivery"] == [500, 200]


async def test_redirect_counts_as_success(client):
    receiver = WebhookReceiver(statuses=[200, 302])
    async with serve(receiver.app) as url:
        await subscribe(client, url, "order.created")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await client.emulator.drain_webhooks()
    deliveries = [d for d in (await client.state())["deliveries"] if d["kind"] == "delivery"]
    assert [(d["status"], d["success"]) for d in deliveries] == [(302, True)]


async def test_seventh_consecutive_failure_disables_the_webhook(client):
    # [I] failed_delivery() disables when a failure arrives with failure_count already > 5 (the default),
    # i.e. on the 7th consecutive failure; the docs say "after 5".
    receiver = WebhookReceiver(statuses=[200] + [503] * 20)
    async with serve(receiver.app) as url:
        hook = await subscribe(client, url, "order.created")
        for attempt in range(1, 8):
            await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
            await client.emulator.drain_webhooks()
            status = (await client.api("GET", f"webhooks/{hook['id']}")).body["status"]
            assert status == ("disabled" if attempt == 7 else "active"), attempt
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await client.emulator.drain_webhooks()
        assert len(receiver.deliveries()) == 7  # nothing goes to a disabled webhook
        disabled = await client.api("GET", "webhooks", params={"status": "disabled"})
        assert [w["id"] for w in disabled.body] == [hook["id"]]


async def test_webhook_validation_and_delete_needs_force(client):
    bad_topic = await client.api("POST", "webhooks", json={"topic": "order.shipped", "delivery_url": "http://x"})
    assert (bad_topic.status, bad_topic.body["code"]) == (400, "woocommerce_rest_shop_webhook_invalid_topic")
    bad_url = await client.api("POST", "webhooks", json={"topic": "order.created", "delivery_url": "ftp://x"})
    assert bad_url.body["code"] == "woocommerce_rest_shop_webhook_invalid_delivery_url"
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        hook = await subscribe(client, url, "order.updated")
    assert (await client.api("DELETE", f"webhooks/{hook['id']}")).status == 501
    assert (await client.api("DELETE", f"webhooks/{hook['id']}", params={"force": "true"})).status == 200
    assert (await client.api("GET", f"webhooks/{hook['id']}")).status == 404


async def test_checkout_fires_order_and_stock_webhooks(client):
    # WooCommerce saves each product whose stock an order reduces, so product.updated follows a sale.
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url:
        for topic in ("order.created", "order.updated", "product.updated"):
            await subscribe(client, url, topic)
        order = await client.place_order({"lines": [{"sku": "A", "quantity": 2}]})
        await client.emulator.drain_webhooks()
        await client.api("PUT", f"orders/{order['id']}", json={"status": "completed"})
        await client.emulator.drain_webhooks()
    seen = [(h["X-WC-Webhook-Topic"], json.loads(b)) for h, b in receiver.deliveries()]
    topics = [topic for topic, _ in seen]
    assert sorted(topics[:3]) == ["order.created", "order.updated", "product.updated"]
    assert topics[3:] == ["order.updated"]
    product = next(p for t, p in seen if t == "product.updated")
    assert (product["sku"], product["stock_quantity"]) == ("A", 8)
    assert seen[-1][1]["status"] == "completed"


async def test_shutdown_cancels_queued_deliveries():
    seed = WooSeed(simple_skus=["A"])
    emulator = WooEmulator([SiteSpec("shop", "ck", "cs", SECRET, seed=seed)])
    receiver = WebhookReceiver()
    async with serve(receiver.app) as url, running(emulator) as client:
        await subscribe(client, url, "order.created")
        await client.control("PUT", "webhooks/queue", {"delay": 3600})
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        assert (await client.state())["queue"]["delay"] == 3600
    # Leaving the server cancelled the hour-long wait instead of leaving a task behind.
    assert receiver.deliveries() == []
    assert emulator.sites["shop"].queue.idle
