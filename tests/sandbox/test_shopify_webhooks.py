"""Webhook deliveries: signature, headers, retries with a stable Webhook-Id, removal after exhaustion."""

import base64
import hashlib
import hmac
import json

from daemon.sandbox.common import Clock, serve
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import WebhookReceiver, running

SECRET = "whsec-acme"
SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
    webhookSubscription { id topic uri format } userErrors { field message } } }"""
LIST = "{ webhookSubscriptions(first: 10) { nodes { id topic uri } } }"
HEADERS = (
    "X-Shopify-Topic", "X-Shopify-Hmac-Sha256", "X-Shopify-Shop-Domain", "X-Shopify-API-Version",
    "X-Shopify-Webhook-Id", "X-Shopify-Name", "X-Shopify-Triggered-At", "X-Shopify-Event-Id",
)  # fmt: skip


def emulator(**spec) -> ShopifyEmulator:
    shop = ShopSpec("acme", "tok", SECRET, seed=ShopifySeed(skus=["A", "B"]), **spec)
    return ShopifyEmulator([shop], clock=Clock(scale=0.00001))


def independent_hmac(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


async def subscribe(client, topic: str, uri: str) -> dict:
    body = await client.graphql(SUBSCRIBE, {"topic": topic, "uri": uri})
    result = body["data"]["webhookSubscriptionCreate"]
    assert result["userErrors"] == []
    return result["webhookSubscription"]


async def test_signed_delivery_with_all_headers_and_rest_order_json():
    receiver = WebhookReceiver()
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        subscription = await subscribe(client, "ORDERS_CREATE", f"{hook_url}/hooks/shopify")
        assert subscription["topic"] == "ORDERS_CREATE" and subscription["format"] == "JSON"
        placed = await client.place_order(
            {"lines": [{"sku": "A", "quantity": 2}], "tax_lines": [{"title": "Moms", "rate": "0.25"}]}
        )
        await shopify.drain_webhooks()
    [(headers, body)] = receiver.requests
    assert all(name in headers for name in HEADERS)
    assert hmac.compare_digest(headers["X-Shopify-Hmac-Sha256"], independent_hmac(body))
    assert headers["X-Shopify-Topic"] == "orders/create"
    assert headers["X-Shopify-Shop-Domain"] == "acme.myshopify.com"
    assert headers["X-Shopify-API-Version"] == "2025-10"
    assert headers["User-Agent"] == "Shopify-Captain-Hook"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Shopify-Triggered-At"].endswith("Z")
    payload = json.loads(body)
    assert payload["id"] == placed["id"] and payload["admin_graphql_api_id"] == placed["admin_graphql_api_id"]
    assert payload["total_price"] == "250.00"
    assert payload["line_items"][0]["sku"] == "A"
    assert payload["line_items"][0]["tax_lines"][0]["price"] == "50.00"
    assert payload["updated_at"][-6:] in ("+01:00", "+02:00")  # REST times carry the shop's offset


async def test_receiver_failures_are_retried_with_the_same_webhook_id_and_body():
    receiver = WebhookReceiver(fail_first=3)
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", f"{hook_url}/hooks")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await shopify.drain_webhooks()
        remaining = (await client.graphql(LIST))["data"]["webhookSubscriptions"]["nodes"]
        log = (await client.state())["webhook_deliveries"]
    assert len(receiver.requests) == 4
    # [I] pinned: one delivery keeps its X-Shopify-Webhook-Id (and payload) across all of its retries
    assert len({headers["X-Shopify-Webhook-Id"] for headers, _ in receiver.requests}) == 1
    assert len({body for _, body in receiver.requests}) == 1
    assert [entry["status"] for entry in log] == [500, 500, 500, 200]
    assert len(remaining) == 1


async def test_redirects_count_as_failures():
    receiver = WebhookReceiver(fail_first=1, failure_status=302)
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", f"{hook_url}/hooks")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await shopify.drain_webhooks()
    assert len(receiver.requests) == 2


async def test_subscription_is_deleted_after_eight_failed_retries():
    receiver = WebhookReceiver(fail_first=1000)
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", f"{hook_url}/hooks")
        await subscribe(client, "ORDERS_PAID", f"{hook_url}/paid")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}], "financial_status": "pending"})
        await shopify.drain_webhooks()
        remaining = (await client.graphql(LIST))["data"]["webhookSubscriptions"]["nodes"]
    assert len(receiver.requests) == 9  # the first attempt plus 8 retries
    assert [node["topic"] for node in remaining] == ["ORDERS_PAID"]  # nothing was paid, nothing failed there


async def test_duplicate_deliveries_reuse_the_webhook_id():
    receiver = WebhookReceiver()
    shopify = emulator(duplicate_webhook_rate=1.0)
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", f"{hook_url}/hooks")
        await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        await shopify.drain_webhooks()
    first, second = receiver.requests
    assert first[0]["X-Shopify-Webhook-Id"] == second[0]["X-Shopify-Webhook-Id"]
    assert first[1] == second[1]


async def test_lifecycle_topics_and_payload_frozen_at_trigger_time():
    receiver = WebhookReceiver()
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        for topic in ("ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED", "INVENTORY_LEVELS_UPDATE"):
            await subscribe(client, topic, f"{hook_url}/{topic.lower()}")
        placed = await client.place_order(
            {"lines": [{"sku": "B", "quantity": 1}], "financial_status": "pending"}
        )
        await client.control("POST", f"orders/{placed['id']}/pay")
        await client.control("POST", f"orders/{placed['id']}/cancel", {"reason": "customer"})
        await client.control("POST", "inventory", {"sku": "A", "available": 3})
        await shopify.drain_webhooks()
    by_topic: dict[str, list[dict]] = {}
    for headers, body in receiver.requests:
        by_topic.setdefault(headers["X-Shopify-Topic"], []).append(json.loads(body))
    assert sorted(o["financial_status"] for o in by_topic["orders/updated"]) == ["paid", "paid", "pending"]
    assert by_topic["orders/paid"][0]["cancelled_at"] is None  # serialized before the cancel happened
    assert by_topic["orders/cancelled"][0]["cancel_reason"] == "customer"
    levels = by_topic["inventory_levels/update"]
    assert {"inventory_item_id", "location_id", "available", "updated_at", "admin_graphql_api_id"} <= set(
        levels[0]
    )
    assert sorted(level["available"] for level in levels) == [3, 9, 10]  # B committed, B released, A drifted


async def test_include_fields_shrink_the_payload_and_fulfillments_fire_their_topics():
    receiver = WebhookReceiver()
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await client.graphql(
            """mutation($uri: String!) { webhookSubscriptionCreate(topic: ORDERS_FULFILLED,
                 webhookSubscription: {uri: $uri, includeFields: ["id", "updated_at", "fulfillment_status"]}) {
                 userErrors { message } } }""",
            {"uri": f"{hook_url}/fulfilled"},
        )
        await subscribe(client, "FULFILLMENTS_CREATE", f"{hook_url}/fulfillments")
        placed = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        fo_id = (await client.graphql(
            "query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { id } } } }",
            {"id": placed["admin_graphql_api_id"]},
        ))["data"]["order"]["fulfillmentOrders"]["nodes"][0]["id"]  # fmt: skip
        await client.graphql(
            "mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }",
            {"f": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo_id}]}},
        )
        await shopify.drain_webhooks()
    payloads = {headers["X-Shopify-Topic"]: json.loads(body) for headers, body in receiver.requests}
    assert set(payloads["orders/fulfilled"]) == {"id", "updated_at", "fulfillment_status"}
    assert payloads["orders/fulfilled"]["fulfillment_status"] == "fulfilled"
    assert payloads["fulfillments/create"]["order_id"] == placed["id"]
    assert payloads["fulfillments/create"]["line_items"] == [
        {"id": placed["line_items"][0]["id"], "quantity": 1}
    ]


async def test_one_snapshot_under_several_topics_gives_each_subscription_its_own_fields():
    """The body is encoded once per snapshot and field list, never handed to a subscription of other fields."""
    receiver = WebhookReceiver()
    shopify = emulator()
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", f"{hook_url}/create")
        await client.graphql(
            """mutation($uri: String!) { webhookSubscriptionCreate(topic: ORDERS_UPDATED,
                 webhookSubscription: {uri: $uri, includeFields: ["id", "updated_at"]}) { userErrors { message } } }""",
            {"uri": f"{hook_url}/updated-ids"},
        )
        await subscribe(client, "ORDERS_PAID", f"{hook_url}/paid")
        placed = await client.place_order({"lines": [{"sku": "A", "quantity": 1}], "financial_status": "paid"})
        await shopify.drain_webhooks()
    bodies = {headers["X-Shopify-Topic"]: body for headers, body in receiver.requests}
    assert bodies["orders/create"] == bodies["orders/paid"]  # one snapshot, the same bytes
    assert json.loads(bodies["orders/create"])["line_items"][0]["sku"] == "A"
    assert json.loads(bodies["orders/updated"]) == {"id": placed["id"], "updated_at": placed["updated_at"]}


async def test_duplicate_subscription_is_a_user_error():
    shopify = emulator()
    async with running(shopify) as client:
        await subscribe(client, "ORDERS_CREATE", "http://127.0.0.1:9/x")
        body = await client.graphql(SUBSCRIBE, {"topic": "ORDERS_CREATE", "uri": "http://127.0.0.1:9/x"})
    assert (
        body["data"]["webhookSubscriptionCreate"]["userErrors"][0]["message"]
        == "Address for this topic has already been taken"
    )
