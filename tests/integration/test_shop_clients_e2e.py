"""ShopifyClient and WooClient over real HTTP against the emulators (Woo signed with OAuth 1.0a over http)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from daemon.config.model import ShopConfig
from daemon.connectors.shopify import ShopifyClient, ShopifyUserErrors, Tracking
from daemon.connectors.woocommerce import WooClient, rest_error_code
from daemon.errors import TerminalApiError
from daemon.http.ratelimit import RateLimiter
from daemon.sandbox.common import serve
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import ShopClient
from daemon.sandbox.shopify.throttle import LeakyBucket
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import WebhookReceiver
from daemon.sandbox.woocommerce.testing import WooClient as WooControl

SHOPIFY_VERSION = "2026-01"
CK, CS = "ck_e2e_key", "cs_e2e_secret"


def limiter(name: str) -> RateLimiter:
    return RateLimiter(name, per_second=100, burst=100, concurrency=4)


def long_ago() -> datetime:
    return datetime.now(timezone.utc) - timedelta(hours=1)


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


# -- Shopify -----------------------------------------------------------------------------------------


@pytest.fixture
async def shopify(session):
    seed = ShopifySeed(skus=["RB-100", "RB-101", "RB-200"], locations=("Main", "Outlet"))
    emulator = ShopifyEmulator([ShopSpec("acme", "shpat_e2e", "whsec", seed=seed)])
    async with serve(emulator.app) as base_url:
        shop = ShopConfig(
            id="acme",
            type="shopify",
            api_url=f"{base_url}/acme",
            access_token="shpat_e2e",
            webhook_secret="whsec",
            api_version=SHOPIFY_VERSION,
        )
        control = ShopClient(session, base_url, "acme", "shpat_e2e", SHOPIFY_VERSION)
        yield ShopifyClient.create(shop, session, limiter("acme")), control


async def all_orders(client: ShopifyClient, since: datetime, until: datetime | None = None) -> list[list[dict]]:
    return [page async for page in client.orders_updated_since(since, until)]


async def test_shopify_orders_updated_since(shopify):
    client, control = shopify
    placed = [await control.place_order({"lines": [{"sku": "RB-100", "quantity": n}]}) for n in (1, 2, 3, 4)]
    pages = await all_orders(client, long_ago())
    assert [len(page) for page in pages] == [3, 1]  # the documents' cost budget: 3 orders a page
    nodes = [node for page in pages for node in page]
    assert [node["legacyResourceId"] for node in nodes] == [str(order["id"]) for order in placed]
    assert nodes[1]["lineItems"]["nodes"][0]["quantity"] == 2
    assert await all_orders(client, datetime.now(timezone.utc) + timedelta(hours=1)) == []
    assert await all_orders(client, long_ago(), long_ago()) == []
    assert (await client.order(placed[0]["id"]))["name"] == placed[0]["name"]


class FakeTime:
    """One clock for the emulator's bucket and the client's limiter: waiting restores points at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_shopify_throttled_query_waits_for_the_bucket_and_succeeds(session):
    fake = FakeTime()
    emulator = ShopifyEmulator([ShopSpec("acme", "shpat_e2e", "whsec", seed=ShopifySeed(skus=["RB-100"]))])
    bucket = emulator.buckets["acme"] = LeakyBucket(1000, 100, clock=fake.clock)
    assert bucket.try_take(900)  # another app of this shop spent the points
    async with serve(emulator.app) as base_url:
        shop = ShopConfig(
            id="acme",
            type="shopify",
            api_url=f"{base_url}/acme",
            access_token="shpat_e2e",
            webhook_secret="whsec",
            api_version=SHOPIFY_VERSION,
        )
        limiter = RateLimiter("acme", per_second=4, burst=8, concurrency=4, clock=fake.clock, sleep=fake.sleep)
        client = ShopifyClient.create(shop, session, limiter)
        assert await all_orders(client, long_ago()) == []
    assert fake.sleeps == [pytest.approx((932 - 100) / 100)]  # ORDERS_UPDATED_SINCE requests 932 points


async def test_shopify_catalog_lookups(shopify):
    client, _ = shopify
    [variant] = await client.variants_by_sku("RB-101")
    assert variant["sku"] == "RB-101" and variant["inventoryItem"]["tracked"] is True
    refs = [ref async for page in client.iter_variants() for ref in page]
    assert {ref.sku for ref in refs} == {"RB-100", "RB-101", "RB-200"}
    by_sku = {ref.sku: ref for ref in refs}
    assert by_sku["RB-101"].variant_id == variant["id"]
    assert by_sku["RB-101"].inventory_item_id == variant["inventoryItem"]["id"]
    assert await client.variants_by_sku("nope") == []

    product = await client.product_set(
        {
            "title": "New item",
            "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
            "variants": [{"optionValues": [{"optionName": "Size", "name": "S"}], "sku": "RB-300", "price": "10.00"}],
        }
    )
    [new] = product["variants"]["nodes"]
    [updated] = await client.variants_bulk_update(product["id"], [{"id": new["id"], "price": "12.50"}])
    assert updated["price"] == "12.50"


async def test_shopify_set_inventory_is_idempotent_per_key(shopify):
    client, control = shopify
    [variant] = await client.variants_by_sku("RB-200")
    outlet = next(loc for loc in await client.locations() if loc["name"] == "Outlet")
    key = str(uuid.uuid4())
    item = variant["inventoryItem"]["id"]
    group = await client.set_inventory([(item, outlet["id"], 17)], idempotency_key=key)
    outlet_id = int(outlet["legacyResourceId"])
    assert group["id"].startswith("gid://shopify/InventoryAdjustmentGroup/")
    assert await available(control, "RB-200", outlet_id) == 17
    await control.control("POST", "inventory", {"sku": "RB-200", "location_id": outlet_id, "available": 5})
    await client.set_inventory([(item, outlet["id"], 17)], idempotency_key=key)  # a retry: changes nothing
    assert await available(control, "RB-200", outlet_id) == 5
    await client.set_inventory([(item, outlet_id, 17)], idempotency_key=str(uuid.uuid4()))
    assert await available(control, "RB-200", outlet_id) == 17


async def available(control: ShopClient, sku: str, location_id: int) -> int:
    levels = (await control.state())["inventory_levels"]
    [level] = [lv for lv in levels if lv["sku"] == sku and lv["location_id"] == location_id]
    return level["available"]


async def test_shopify_fulfil_part_then_the_rest(shopify):
    client, control = shopify
    lines = [{"sku": "RB-100", "quantity": 3}, {"sku": "RB-101", "quantity": 1}]
    order = await control.place_order({"lines": lines})
    [fo] = await client.fulfillment_orders(order["id"])
    lines = {line["lineItem"]["sku"]: line for line in fo["lineItems"]["nodes"]}
    first = await client.fulfillment_create(
        {fo["id"]: [(lines["RB-100"]["id"], 1)]}, Tracking(company="GLS", number="0037"), notify_customer=False
    )
    assert first["trackingInfo"] == [{"company": "GLS", "number": "0037", "url": None}]
    [fo] = await client.fulfillment_orders(order["id"])
    remaining = {line["lineItem"]["sku"]: line["remainingQuantity"] for line in fo["lineItems"]["nodes"]}
    assert remaining == {"RB-100": 2, "RB-101": 1}
    await client.fulfillment_create({fo["id"]: None})
    state = await control.state()
    [shop_order] = [o for o in state["orders"] if o["id"] == order["id"]]
    assert shop_order["fulfillment_status"] == "fulfilled"
    assert len([f for f in state["fulfillments"] if f["order_id"] == order["id"]]) == 2
    with pytest.raises(ShopifyUserErrors):
        await client.fulfillment_create({fo["id"]: None})


async def test_shopify_webhook_subscriptions(shopify):
    client, _ = shopify
    created = await client.webhook_subscribe("ORDERS_UPDATED", "https://sync.example/hooks/shopify")
    assert created["topic"] == "ORDERS_UPDATED"
    assert [s["uri"] for s in await client.webhook_subscriptions()] == ["https://sync.example/hooks/shopify"]
    with pytest.raises(ShopifyUserErrors, match="already been taken"):
        await client.webhook_subscribe("ORDERS_UPDATED", "https://sync.example/hooks/shopify")


# -- WooCommerce -------------------------------------------------------------------------------------


@pytest.fixture
async def woo(session):
    seed = WooSeed(simple_skus=["RB-1", "RB-2"], variable={"RB-V": ["RB-V-S", "RB-V-M"]})
    emulator = WooEmulator([SiteSpec("shop", CK, CS, "whsec", seed=seed)])
    async with serve(emulator.app) as base_url:
        shop = ShopConfig(
            id="shop",
            type="woocommerce",
            api_url=f"{base_url}/shop",
            consumer_key=CK,
            consumer_secret=CS,
            webhook_secret="whsec",
        )
        control = WooControl(emulator, session, base_url, emulator.sites["shop"].spec)
        yield WooClient.create(shop, session, limiter("shop")), control


async def test_woo_orders_status_and_note(woo):
    client, control = woo
    placed = await control.place_order({"lines": [{"sku": "RB-1", "quantity": 2}]})
    pages = [page async for page in client.orders_modified_since(long_ago())]
    assert [[order["id"] for order in page] for page in pages] == [[placed["id"]]]
    assert [page async for page in client.orders_modified_since(datetime.now(timezone.utc) + timedelta(hours=1))] == []

    updated = await client.update_order(placed["id"], {"status": "completed"})
    assert updated["status"] == "completed"
    note = await client.add_order_note(placed["id"], "Shipped with GLS 0037")
    state = await control.state()
    assert [o["status"] for o in state["orders"]] == ["completed"]
    assert any(n["note"] == "Shipped with GLS 0037" and n["id"] == note["id"] for n in state["notes"])
    assert (await client.order_notes(placed["id"]))[0]["id"] == note["id"]
    assert (await client.get_order(placed["id"]))["status"] == "completed"
    assert await client.get_order(999999) is None


async def test_woo_batch_stock_for_products_and_variations(woo):
    client, control = woo
    found = {item["sku"]: item for item in await client.products_by_sku(["RB-1", "RB-V-S", "RB-V-M"])}
    assert found["RB-V-S"]["type"] == "variation"
    parent = found["RB-V-S"]["parent_id"]
    products = await client.batch_products(update=[{"id": found["RB-1"]["id"], "stock_quantity": 42}])
    variations = await client.batch_variations(
        parent,
        update=[
            {"id": found["RB-V-S"]["id"], "stock_quantity": 7},
            {"id": found["RB-V-M"]["id"], "stock_quantity": 0},
            {"id": 987654, "stock_quantity": 1},
        ],
    )
    assert [p["stock_quantity"] for p in products.updated] == [42] and products.failures == []
    assert [v["stock_quantity"] for v in variations.updated] == [7, 0]
    assert [f.id for f in variations.failures] == [987654]
    stock = {p["sku"]: p["stock_quantity"] for p in (await control.state())["products"]}
    assert (stock["RB-1"], stock["RB-V-S"], stock["RB-V-M"]) == (42, 7, 0)
    listed = [v["sku"] async for page in client.iter_variations(parent) for v in page]
    assert sorted(listed) == ["RB-V-M", "RB-V-S"]


async def test_woo_duplicate_sku_and_product_writes(woo):
    client, _ = woo
    with pytest.raises(TerminalApiError) as caught:
        await client.create_product({"name": "Dup", "sku": "RB-2", "regular_price": "9.00"})
    assert rest_error_code(caught.value) == "product_invalid_sku"
    created = await client.create_product({"name": "New", "sku": "RB-3", "regular_price": "9.00"})
    renamed = await client.update_product(created["id"], {"name": "Renamed"})
    assert renamed["name"] == "Renamed"
    skus = {p["sku"] async for page in client.iter_products() for p in page}
    assert {"RB-1", "RB-2", "RB-V", "RB-3"} <= skus


async def test_woo_webhooks(woo):
    client, _ = woo
    receiver = WebhookReceiver()
    async with serve(receiver.app) as hooks_url:
        hook = await client.create_webhook("order.updated", f"{hooks_url}/woo", "whsec")
        assert hook["status"] == "active" and hook["topic"] == "order.updated"
        assert [h["id"] for h in await client.list_webhooks()] == [hook["id"]]
        assert (await client.activate_webhook(hook["id"]))["status"] == "active"
