"""Rackbeat ships → the shop order is fulfilled for exactly those lines, once per shipment.

Rackbeat, Shopify and WooCommerce emulators over real HTTP, real PostgreSQL; jobs run by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.woocommerce.client import WooClient
from daemon.http.ratelimit import RateLimiter
from daemon.queue.store import JobQueue
from daemon.sandbox.common import serve
from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.fulfil import OrderFulfil
from daemon.sync.order_flow.handlers import MAPPERS, SHOPIFY_REST, WOOCOMMERCE
from daemon.sync.order_flow.intake import OrderIntake, Sighting
from daemon.sync.order_flow.links import OrderLinks
from daemon.sync.order_flow.shipments import ShipmentWatcher
from daemon.sync.order_flow.transfer import OrderTransfer
from daemon.webhooks.dispatch import InboxItem

SKUS = ["P0001", "P0002", "P0003"]


class World:
    def __init__(self, db, session, urls) -> None:
        self.db = db
        self.session = session
        self.urls = urls
        self.config = Config.model_validate(
            {
                "rackbeat": {"api_url": urls["rackbeat"], "token": "rb-sandbox-token"},
                "shops": [
                    {"id": "shop-a", "type": "shopify", "api_url": urls["shopify"], "access_token": "shpat",
                     "webhook_secret": "s", "orders": {"rounding_product": "discount"}},
                    {"id": "woo", "type": "woocommerce", "api_url": urls["woo"], "consumer_key": "ck_w",
                     "consumer_secret": "cs_w", "webhook_secret": "s", "orders": {"rounding_product": "discount"}},
                ],
            }
        )
        shops = {shop.id: shop for shop in self.config.shops}

        def limiter(name: str) -> RateLimiter:
            return RateLimiter(name, per_second=1000, burst=1000, concurrency=4)

        self.rackbeat = RackbeatClient.create(self.config.rackbeat, session, limiter("rackbeat"))
        self.shopify = ShopifyClient.create(shops["shop-a"], session, limiter("shop-a"))
        self.woo = WooClient.create(shops["woo"], session, limiter("woo"))
        self.queue = JobQueue(db)
        links = OrderLinks()
        self.intake = OrderIntake(db, self.queue, links, shops)
        transfer = OrderTransfer(db, self.rackbeat, links, CustomerResolver(db, self.rackbeat), shops, MAPPERS)
        self.watcher = ShipmentWatcher(db, self.queue, self.rackbeat)
        fulfil = OrderFulfil(db, self.rackbeat, shops, {"shop-a": self.shopify, "woo": self.woo})
        self.handlers = {"order.transfer": transfer, "order.fulfil": fulfil}

    async def run_jobs(self) -> int:
        ran = 0
        for job in reversed(await self.queue.list(state="pending")):
            await self.handlers[job.kind].handle(job)
            await self.db.pool.execute("UPDATE jobs SET state = 'done' WHERE id = $1", job.id)
            ran += 1
        return ran

    async def control(self, base: str, method: str, path: str, body=None):
        async with self.session.request(method, f"{base}{path}", json=body) as response:
            assert response.status < 300, await response.text()
            return await response.json()

    async def shipped_in_rackbeat(self, number: int, lines=None) -> None:
        await self.control(self.urls["rackbeat_root"], "POST", f"/_sandbox/orders/{number}/ship",
                           {"lines": lines} if lines else {})
        item = InboxItem(0, "rackbeat", "rackbeat", "order.shipped",
                         {"key": number, "key_name": "number", "event": "order.shipped", "data": {}}, {},
                         dt.datetime.now(dt.timezone.utc))
        await self.watcher.handle(item)

    async def rackbeat_number(self, shop_id: str, shop_order_id) -> int:
        return await self.db.pool.fetchval(
            "SELECT rackbeat_order_number FROM shop_orders WHERE shop_id = $1 AND shop_order_id = $2",
            shop_id, str(shop_order_id),
        )


@pytest.fixture
async def world(db):
    rackbeat = RackbeatEmulator(seed=RackbeatSeed(products=3, customers=1))
    shopify = ShopifyEmulator([ShopSpec("shop-a", "shpat", "s", seed=ShopifySeed(skus=SKUS))])
    woo = WooEmulator([SiteSpec("woo", "ck_w", "cs_w", "s", seed=WooSeed(simple_skus=SKUS))])
    async with contextlib.AsyncExitStack() as stack:
        rb_url = await stack.enter_async_context(serve(rackbeat.app))
        shop_url = await stack.enter_async_context(serve(shopify.app))
        woo_url = await stack.enter_async_context(serve(woo.app))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        urls = {"rackbeat": f"{rb_url}/api", "rackbeat_root": rb_url, "shopify": f"{shop_url}/shop-a",
                "shopify_root": shop_url, "woo": f"{woo_url}/woo", "woo_root": woo_url}
        yield World(db, session, urls)


async def place_shopify_order(world: World) -> dict:
    body = {"lines": [{"sku": "P0001", "quantity": 3}, {"sku": "P0002", "quantity": 1}],
            "customer": {"email": "ship@example.com", "first_name": "Ada", "last_name": "L"}}
    order = (await world.control(world.urls["shopify_root"], "POST", "/_sandbox/shop-a/orders", body))["order"]
    await world.intake.accept(Sighting(MAPPERS[SHOPIFY_REST](order, "shop-a"), SHOPIFY_REST, order))
    await world.run_jobs()
    return order


async def remaining_by_sku(world: World, order_id) -> dict[str, int]:
    remaining: dict[str, int] = {}
    for fulfillment_order in await world.shopify.fulfillment_orders(order_id):
        for line in fulfillment_order["lineItems"]["nodes"]:
            sku = line["lineItem"]["sku"]
            remaining[sku] = remaining.get(sku, 0) + line["remainingQuantity"]
    return remaining


async def test_partial_then_full_shipment_fulfils_shopify_lines_exactly_once_each(world):
    order = await place_shopify_order(world)
    number = await world.rackbeat_number("shop-a", order["id"])
    rb_order = await world.rackbeat.get_order(number)
    shirt_line = next(line for line in rb_order["lines"] if line["item"]["number"] == "P0001")

    await world.shipped_in_rackbeat(number, [{"line_id": shirt_line["id"], "quantity": 2}])
    assert await world.run_jobs() == 1
    assert await remaining_by_sku(world, order["id"]) == {"P0001": 1, "P0002": 1}

    # the same shipment seen again (poll after webhook): nothing new
    await world.watcher.handle(InboxItem(0, "poll", "rackbeat", "rackbeat.order",
                                         await world.rackbeat.get_order(number), {}, dt.datetime.now(dt.timezone.utc)))
    assert await world.run_jobs() == 0

    await world.shipped_in_rackbeat(number)  # the rest
    assert await world.run_jobs() == 1
    assert await remaining_by_sku(world, order["id"]) == {"P0001": 0, "P0002": 0}
    rows = await world.db.pool.fetch("SELECT state FROM order_fulfilments ORDER BY rackbeat_shipment_id")
    assert [r["state"] for r in rows] == ["done", "done"]


async def test_a_fulfil_retried_after_its_answer_was_lost_does_not_fulfil_twice(world):
    order = await place_shopify_order(world)
    number = await world.rackbeat_number("shop-a", order["id"])
    await world.shipped_in_rackbeat(number)
    job = (await world.queue.list(state="pending"))[0]
    await world.handlers["order.fulfil"].handle(job)
    # the answer was "lost": our bookkeeping never saw it
    await world.db.pool.execute("UPDATE order_fulfilments SET state = 'pending', shop_fulfilment_id = NULL")
    await world.handlers["order.fulfil"].handle(job)
    state = await world.control(world.urls["shopify_root"], "GET", "/_sandbox/shop-a/state")
    fulfillments = [f for f in state["fulfillments"] if str(f.get("order_id")) == str(order["id"])]
    assert len(fulfillments) == 1
    assert await remaining_by_sku(world, order["id"]) == {"P0001": 0, "P0002": 0}


async def test_woo_order_gets_a_note_per_shipment_and_the_status_when_all_shipped(world):
    placed = await world.control(world.urls["woo_root"], "POST", "/_sandbox/woo/orders", {
        "lines": [{"sku": "P0001", "quantity": 2, "tax_rate": 25}, {"sku": "P0003", "quantity": 1, "tax_rate": 25}],
        "billing": {"email": "woo@example.com", "first_name": "W", "last_name": "C", "country": "DK"},
        "status": "processing",
    })
    woo_order = await world.woo.get_order(placed["id"] if "id" in placed else placed["order"]["id"])
    await world.intake.accept(Sighting(MAPPERS[WOOCOMMERCE](woo_order, "woo"), WOOCOMMERCE, woo_order))
    await world.run_jobs()
    number = await world.rackbeat_number("woo", woo_order["id"])
    rb_order = await world.rackbeat.get_order(number)
    line = next(line for line in rb_order["lines"] if line["item"]["number"] == "P0001")

    await world.shipped_in_rackbeat(number, [{"line_id": line["id"], "quantity": 1}])
    await world.run_jobs()
    after_partial = await world.woo.get_order(woo_order["id"])
    assert after_partial["status"] == "processing"

    await world.shipped_in_rackbeat(number)
    await world.run_jobs()
    await world.db.pool.execute("UPDATE order_fulfilments SET state = 'pending'")  # re-run both: idempotent
    for job in await world.queue.list(kind="order.fulfil", state="done"):
        await world.handlers["order.fulfil"].handle(job)
    notes = await world.woo.order_notes(woo_order["id"])
    ours = [n for n in notes if "Rackbeat shipment" in n["note"]]
    assert len(ours) == 2
    assert (await world.woo.get_order(woo_order["id"]))["status"] == "completed"
