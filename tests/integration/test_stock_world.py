"""The stock flow against the Rackbeat, Shopify and WooCommerce emulators over real HTTP and a real PostgreSQL.

``StockWorld`` wires one Rackbeat account to a Shopify shop ``shop-a`` and a WooCommerce site ``shop-b``.
Jobs are taken from the queue and run by hand, so every step can be observed; every API call is
counted per emulator, and the other test modules import the ``world`` fixture from here.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.woocommerce import WooClient
from daemon.http.ratelimit import RateLimiter
from daemon.queue.store import JobQueue
from daemon.sandbox.common import serve
from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sync.parts import FlowContext
from daemon.sync.stock.marks import PUSH_KIND
from daemon.sync.stock.parts import StockFlow
from daemon.sync.stock.reconcile import RECONCILE_KIND, enqueue_reconcile
from daemon.webhooks.dispatch import InboxItem

SHOPIFY, WOO = "shop-a", "shop-b"
TOKEN, CK, CS = "shpat_stock", "ck_stock", "cs_stock"


def fast(name: str) -> RateLimiter:
    return RateLimiter(name, per_second=1000, burst=1000, concurrency=8)


class CallCounter:
    """An emulator middleware counting API calls by (method, path shape) and running ``after`` hooks."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.after: list[Any] = []

    @web.middleware
    async def middleware(self, request: web.Request, handler):
        response = await handler(request)
        if "/_sandbox" not in request.path:
            self.calls[f"{request.method} {_shape(request.path)}"] += 1
            for hook in self.after:
                hook()
        return response

    def count(self, fragment: str) -> int:
        return sum(n for key, n in self.calls.items() if fragment in key)


def _shape(path: str) -> str:
    return "/".join("{n}" if part.isdigit() or part.startswith("P0") else part for part in path.split("/"))


def config(rackbeat_url: str, shopify_url: str, woo_url: str, **stock: Any) -> Config:
    orders = {"shipping_product": "shipping", "rounding_product": "discount"}
    return Config.model_validate(
        {
            "rackbeat": {"api_url": rackbeat_url, "token": "rb-sandbox-token"},
            "shops": [
                {"id": SHOPIFY, "type": "shopify", "api_url": shopify_url, "access_token": TOKEN,
                 "webhook_secret": "s", "api_version": "2026-01", "orders": orders,
                 "stock": stock.get(SHOPIFY, {})},
                {"id": WOO, "type": "woocommerce", "api_url": woo_url, "consumer_key": CK, "consumer_secret": CS,
                 "webhook_secret": "s", "orders": orders, "stock": stock.get(WOO, {})},
            ],
        }
    )


class StockWorld:
    def __init__(self, db, rackbeat: RackbeatEmulator, shopify: ShopifyEmulator, woo: WooEmulator,
                 urls: dict[str, str], session: aiohttp.ClientSession, counters: dict[str, CallCounter],
                 **stock: Any) -> None:
        self.db = db
        self.rackbeat_emulator, self.shopify_emulator, self.woo_emulator = rackbeat, shopify, woo
        self.urls = urls
        self.session = session
        self.counters = counters
        self.config = config(urls["rackbeat"], urls[SHOPIFY], urls[WOO], **stock)
        self.queue = JobQueue(db)
        self.rackbeat = RackbeatClient.create(self.config.rackbeat, session, fast("rackbeat"))
        shops = {shop.id: shop for shop in self.config.shops}
        self.clients = {
            SHOPIFY: ShopifyClient.create(shops[SHOPIFY], session, fast(SHOPIFY)),
            WOO: WooClient.create(shops[WOO], session, fast(WOO)),
        }
        self.context = FlowContext(self.config, db, self.queue, self.rackbeat, self.clients)
        self.flow = StockFlow(self.context, debounce_s=0.0, settle_s=0.0, max_wait_s=0.0, listing_gather_s=0.0)
        self.parts = self.flow.parts()

    # -- driving ---------------------------------------------------------------------------------

    async def run_jobs(self, kinds: tuple[str, ...] = (PUSH_KIND, RECONCILE_KIND), handlers=None) -> int:
        """Run pending jobs of ``kinds`` (oldest first) until none is left; returns how many ran."""
        handlers = {**self.parts.handlers, **(handlers or {})}
        ran = 0
        while True:
            pending = [job for job in reversed(await self.queue.list(state="pending", limit=1000)) if job.kind in kinds]
            if not pending:
                return ran
            for job in pending:
                await self.db.pool.execute("UPDATE jobs SET state = 'running' WHERE id = $1", job.id)
                await handlers[job.kind].handle(job)
                await self.db.pool.execute("UPDATE jobs SET state = 'done' WHERE id = $1", job.id)
                ran += 1

    async def reconcile(self, *shop_ids: str) -> None:
        for shop_id in shop_ids or (SHOPIFY, WOO):
            await enqueue_reconcile(self.queue, shop_id)
        await self.run_jobs()

    async def inbox(self, source: str, topic: str, payload: dict[str, Any], connection: str = "rackbeat") -> None:
        import datetime as dt

        item = InboxItem(0, source, connection, topic, payload, {}, dt.datetime.now(dt.timezone.utc))
        await self.parts.routes[(source, topic)].handle(item)

    async def rackbeat_stock(self, product: str, quantity: int, location: int = 1) -> None:
        """Change stock in Rackbeat (as a user would) and deliver its ``inventory.changed`` webhook."""
        async with self.session.post(f"{self.urls['rackbeat_base']}/_sandbox/stock",
                                     json={"product": product, "location": location, "quantity": quantity}) as r:
            assert r.status == 200, await r.text()
        await self.inbox("rackbeat", "inventory.changed", {"key": product, "key_name": "number",
                                                            "event": "inventory.changed", "data": {}})

    # -- looking -----------------------------------------------------------------------------------

    def shown(self, shop_id: str) -> dict[str, int]:
        """What each SKU shows in the shop right now (Shopify: its first location)."""
        if shop_id == SHOPIFY:
            state = self.shopify_emulator.shops[SHOPIFY]
            first = min(state.locations)
            return {state.variant_of_item(level.inventory_item_id).sku: level.available
                    for (_, location), level in state.levels.items() if location == first}
        site = self.woo_emulator.sites[WOO]
        return {p.sku: p.stock_quantity for p in site.store.products.values() if p.sku and p.type != "variable"}

    def rackbeat_available(self, product: str, location: int | None = None) -> Decimal:
        catalog = self.rackbeat_emulator.state.catalog
        found = catalog.find_product(product)
        return catalog.quantities(found, catalog.location(location) if location else None).available

    def shopify_set_calls(self) -> int:
        return len(self.shopify_emulator.shops[SHOPIFY].adjustment_groups)

    def woo_batch_calls(self) -> int:
        return self.counters[WOO].count("/batch")


@contextlib.asynccontextmanager
async def stock_world(db, *, rackbeat_seed: RackbeatSeed, shopify_seed: ShopifySeed, woo_seed: WooSeed,
                      **stock: Any):
    rackbeat = RackbeatEmulator(seed=rackbeat_seed)
    shopify = ShopifyEmulator([ShopSpec(SHOPIFY, TOKEN, "whsec", restore_rate=100_000, bucket_size=100_000,
                                        api_version="2026-01", seed=shopify_seed)])
    woo = WooEmulator([SiteSpec(WOO, CK, CS, "whsec", seed=woo_seed)])
    counters = {name: CallCounter() for name in ("rackbeat", SHOPIFY, WOO)}
    for app, counter in ((rackbeat.app, counters["rackbeat"]), (shopify.app, counters[SHOPIFY]),
                         (woo.app, counters[WOO])):
        app.middlewares.append(counter.middleware)
    async with serve(rackbeat.app) as rb, serve(shopify.app) as sh, serve(woo.app) as wc, \
            aiohttp.ClientSession() as session:
        urls = {"rackbeat": f"{rb}/api", "rackbeat_base": rb, SHOPIFY: f"{sh}/{SHOPIFY}", WOO: f"{wc}/{WOO}"}
        yield StockWorld(db, rackbeat, shopify, woo, urls, session, counters, **stock)


SKUS = [f"P{i:04d}" for i in range(1, 7)]


@pytest.fixture
async def world(db):
    """Six Rackbeat products (100 + 20 in stock); both shops carry them, showing 10 each."""
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=6, customers=1),
        shopify_seed=ShopifySeed(skus=SKUS),
        woo_seed=WooSeed(simple_skus=SKUS[:4], variable={"PARENT": SKUS[4:]}),
    ) as built:
        yield built


async def test_reconcile_links_both_shops_and_pushes_rackbeat_available(world):
    await world.reconcile()
    assert world.shown(SHOPIFY) == {sku: 120 for sku in SKUS}
    assert world.shown(WOO) == {sku: 120 for sku in SKUS}
    assert world.counters[WOO].count("POST /{n}/shop-b/wp-json/wc/v3/products/batch") <= 1
    assert world.counters[WOO].count("/variations/batch") == 1  # the two variations share their parent's call


async def test_only_changed_values_are_pushed(world):
    await world.reconcile()
    sets, batches = world.shopify_set_calls(), world.woo_batch_calls()
    await world.rackbeat_stock("P0001", 100)  # unchanged: 100 + 20
    await world.run_jobs()
    assert (world.shopify_set_calls(), world.woo_batch_calls()) == (sets, batches)
    await world.rackbeat_stock("P0002", 50)
    await world.run_jobs()
    assert world.shown(SHOPIFY)["P0002"] == 70 and world.shown(WOO)["P0002"] == 70
    assert (world.shopify_set_calls(), world.woo_batch_calls()) == (sets + 1, batches + 1)
    group = list(world.shopify_emulator.shops[SHOPIFY].adjustment_groups.values())[-1]
    assert {change.quantity_after_change for change in group.changes if change.name == "available"} == {70}


async def test_build_stock_parts_wires_jobs_routes_and_one_reconcile_clock_per_shop(world):
    from daemon.sync.stock.parts import build_stock_parts

    parts = build_stock_parts(world.context)
    assert set(parts.handlers) == {PUSH_KIND, RECONCILE_KIND}
    assert {("rackbeat", "inventory.changed"), ("poll", "rackbeat.product"), ("poll", "stock.reconcile_due"),
            ("shopify", "products/update"), ("woocommerce", "product.updated")} <= set(parts.routes)
    assert sorted((s.connection, s.name, s.interval_s) for s in parts.streams) == [
        (SHOPIFY, "stock_reconcile", 6 * 3600.0), (WOO, "stock_reconcile", 6 * 3600.0)
    ]
