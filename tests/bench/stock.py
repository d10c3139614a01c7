"""Stock fan-out: 10,000 SKUs change in Rackbeat and reach two Shopify shops and one WooCommerce site.

The emulators run in a spawned process (Shopify shops on a 1,000 points/s plan, Rackbeat at its 480
requests/minute); the daemon side is the stock flow's parts under the job worker the daemon runs, with the
inbox dispatcher, fed the 10,000 ``inventory.changed`` webhooks through ``InboxStore`` as the listener
would. Linking and a baseline (every shop already showing Rackbeat's old value) are set up untimed.

``stock_floor_s``: what the rate limits allow with perfect batching, from the emulators' settings:
Rackbeat's reads (a 1,000-product listing page each) at its limit, plus the slowest shop's calls x cost /
restore rate (WooCommerce has no limit: 0). ``stock_calls_min`` counts those same calls. Also printed:
``stock_webhooks_handled_s`` (when the last of the 10,000 inbox jobs was done: the webhook path's share),
``stock_rackbeat_reads`` and ``stock_wrong_levels`` (shop levels not equal to Rackbeat's at the end; 0).
``STOCK_BENCH_SKUS`` runs a smaller catalogue for a quick look.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import sys
import time
import uuid
from collections import Counter
from decimal import Decimal
from typing import AsyncIterator

import aiohttp
from aiohttp import web

from daemon.app import job_worker
from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.woocommerce import WooClient
from daemon.db.database import Database
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.logs.setup import configure_logging
from daemon.queue import JobQueue
from daemon.sandbox.common import free_port
from daemon.sync.parts import FlowContext
from daemon.sync.stock.batching import SHOPIFY_BATCH, WOO_BATCH
from daemon.sync.stock.links import StockLinks
from daemon.sync.stock.parts import StockFlow
from daemon.sync.stock.shop_catalogs import shop_links, shopify_product_links
from daemon.webhooks.dispatch import InboxDispatcher
from daemon.webhooks.inbox import INBOX_JOB, InboxStore

SKUS = int(os.environ.get("STOCK_BENCH_SKUS", "10000"))  # smaller for a quick look
SHOPIFY_SHOPS = ("bench-a", "bench-b")
WOO_SITE = "bench-woo"
RESTORE_RATE = 1_000.0  # points/s
BUCKET = 1_000.0
RACKBEAT_PER_MIN = 480
LISTING_PAGE = 1_000
MUTATION_COST = 10  # inventorySetQuantities, as the emulator (and Shopify) prices a mutation
BASELINE = 10
TOKEN, CK, CS = "shpat_bench", "ck_bench", "cs_bench"


def _numbers() -> list[str]:
    return [f"P{i:05d}" for i in range(1, SKUS + 1)]


def _new_value(index: int) -> int:
    return BASELINE + 1 + index % 37


# --- the emulators' process ----------------------------------------------------------------------------


class _Calls:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def middleware(self, name: str):
        @web.middleware
        async def count(request: web.Request, handler):
            if "/_sandbox" not in request.path and "/_bench" not in request.path:
                self.counts[name] += 1
            return await handler(request)

        return count


def _emulators(ports: dict[str, int], ready, stop) -> None:
    from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
    from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
    from daemon.sandbox.shopify.rest_json import product_json
    from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed

    numbers = _numbers()
    calls = _Calls()
    rackbeat = RackbeatEmulator(
        rate_limit_per_min=RACKBEAT_PER_MIN,
        seed=RackbeatSeed(products=0, customers=0, suppliers=0, stock={1: BASELINE}),
    )
    catalog = rackbeat.state.catalog
    for number in numbers:
        product = catalog.create_product({"number": number, "name": number, "group": 1, "sales_price": 10})
        catalog.change(product, catalog.location(1), "seed", stock=Decimal(BASELINE))
    seed = ShopifySeed(skus=numbers, variants_per_product=1, available=BASELINE)
    shopify = ShopifyEmulator(
        [ShopSpec(h, TOKEN, "whsec", restore_rate=RESTORE_RATE, bucket_size=BUCKET, api_version="2026-01", seed=seed)
         for h in SHOPIFY_SHOPS]
    )
    woo = WooEmulator([SiteSpec(WOO_SITE, CK, CS, "whsec", seed=WooSeed(simple_skus=numbers, stock_quantity=BASELINE))])
    for name, app in (("rackbeat", rackbeat.app), ("shopify", shopify.app), ("woo", woo.app)):
        app.middlewares.append(calls.middleware(name))

    async def change_all(_: web.Request) -> web.Response:
        """10,000 stock changes in Rackbeat at once (a stock count, say)."""
        for index, number in enumerate(numbers):
            product = catalog.find_product(number)
            catalog.change(product, catalog.location(1), "count", stock=Decimal(_new_value(index) - BASELINE))
        return web.json_response({"changed": len(numbers)})

    async def counts(request: web.Request) -> web.Response:
        answer = dict(calls.counts)
        if request.query.get("reset"):
            calls.counts.clear()
        return web.json_response(answer)

    async def shopify_products(request: web.Request) -> web.Response:
        state = shopify.shops[request.match_info["handle"]]
        return web.json_response([product_json(state, p) for p in state.products.values()])

    async def shown(_: web.Request) -> web.Response:
        answer = {}
        for handle, state in shopify.shops.items():
            answer[handle] = {state.variant_of_item(level.inventory_item_id).sku: level.available
                              for level in state.levels.values()}
        answer[WOO_SITE] = {p.sku: p.stock_quantity for p in woo.sites[WOO_SITE].store.products.values()}
        return web.json_response(answer)

    rackbeat.app.router.add_post("/_bench/change", change_all)
    rackbeat.app.router.add_get("/_bench/calls", counts)
    rackbeat.app.router.add_get("/_bench/shown", shown)
    rackbeat.app.router.add_get("/_bench/shopify/{handle}", shopify_products)

    async def main() -> None:
        runners = []
        for name, app in (("rackbeat", rackbeat.app), ("shopify", shopify.app), ("woo", woo.app)):
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", ports[name]).start()
            runners.append(runner)
        ready.set()
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        for runner in runners:
            await runner.cleanup()

    asyncio.run(main())


@contextlib.asynccontextmanager
async def _running_emulators() -> AsyncIterator[dict[str, str]]:
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    ports = {name: free_port() for name in ("rackbeat", "shopify", "woo")}
    process = context.Process(target=_emulators, args=(ports, ready, stop), daemon=True)
    process.start()
    try:
        if not await asyncio.get_running_loop().run_in_executor(None, ready.wait, 300):
            raise RuntimeError("emulators did not start")
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        stop.set()
        process.join(30)
        if process.is_alive():
            process.kill()


# --- the daemon side -------------------------------------------------------------------------------------


def _config(urls: dict[str, str], database_url: str) -> Config:
    fast = {"per_second": 200.0, "burst": 200, "concurrency": 4}
    shops = [
        {"id": h, "type": "shopify", "api_url": f"{urls['shopify']}/{h}", "access_token": TOKEN,
         "webhook_secret": "s", "api_version": "2026-01"}
        for h in SHOPIFY_SHOPS
    ]
    shops.append({"id": WOO_SITE, "type": "woocommerce", "api_url": f"{urls['woo']}/{WOO_SITE}",
                  "consumer_key": CK, "consumer_secret": CS, "webhook_secret": "s", "rate": fast})
    return Config.model_validate(
        {"daemon": {"database_url": database_url},
         "rackbeat": {"api_url": f"{urls['rackbeat']}/api", "token": "rb-sandbox-token"}, "shops": shops}
    )


async def _link(database: Database, flow: StockFlow, session: aiohttp.ClientSession, urls: dict[str, str]) -> None:
    """Untimed set-up: the SKU maps (Shopify's read from the emulator directly: paging 10,000 variants at
    1,000 points/s would take half a minute per shop) and the baseline everybody shows."""
    links = StockLinks()
    async with database.pool.acquire() as conn:
        for handle in SHOPIFY_SHOPS:
            async with session.get(f"{urls['rackbeat']}/_bench/shopify/{handle}") as response:
                products = await response.json()
            await links.replace_shop(conn, handle, [link for p in products for link in shopify_product_links(p)])
        await links.replace_shop(conn, WOO_SITE, [link async for link in shop_links(flow.clients[WOO_SITE])])
        await conn.execute(
            "INSERT INTO stock_levels (shop_id, sku, quantity) SELECT shop_id, sku, $1 FROM stock_links", BASELINE
        )


async def _converged(database: Database, started: float) -> float:
    """Wait until every job is done and nothing is dirty; returns when the last webhook was handled."""
    inbox_done = None
    while True:
        # EXISTS on the queue's partial indexes: counting 10,000 rows every 50 ms would load the server measured
        inbox, busy = await database.pool.fetchrow(
            """SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('pending', 'running') AND kind = 'inbox'),
                      EXISTS (SELECT 1 FROM jobs WHERE state IN ('pending', 'running'))
                      OR EXISTS (SELECT 1 FROM stock_dirty)"""
        )
        if not inbox and inbox_done is None:
            inbox_done = time.perf_counter() - started
        if not busy:
            return inbox_done
        await asyncio.sleep(0.05)


def _floor(reads: int) -> tuple[float, int]:
    shopify_calls = math.ceil(SKUS / SHOPIFY_BATCH)
    woo_calls = math.ceil(SKUS / WOO_BATCH)
    shop_s = shopify_calls * MUTATION_COST / RESTORE_RATE  # the shops push in parallel; Woo has no limit
    return reads / (RACKBEAT_PER_MIN / 60) + shop_s, reads + shopify_calls * len(SHOPIFY_SHOPS) + woo_calls


async def run(database_url: str) -> dict[str, float | int]:
    configure_logging("warning", stream=sys.stderr)
    async with _running_emulators() as urls, aiohttp.ClientSession() as session:
        config = _config(urls, database_url)
        database = Database(database_url, "var", max_size=30)
        await database.start()
        limiters = RateLimiters(
            [RateLimiter.from_config("rackbeat", config.rackbeat.rate),
             *(RateLimiter.from_config(shop.id, shop.effective_rate) for shop in config.shops)]
        )
        rackbeat = RackbeatClient.create(config.rackbeat, session, limiters["rackbeat"])
        shops = {shop.id: shop for shop in config.shops}
        clients = {h: ShopifyClient.create(shops[h], session, limiters[h]) for h in SHOPIFY_SHOPS}
        clients[WOO_SITE] = WooClient.create(shops[WOO_SITE], session, limiters[WOO_SITE])
        queue = JobQueue(database)
        inbox = InboxStore(database)
        flow = StockFlow(FlowContext(config, database, queue, rackbeat, clients))
        parts = flow.parts()
        await _link(database, flow, session, urls)
        worker = job_worker(config, database, queue, {INBOX_JOB: InboxDispatcher(inbox, parts.routes), **parts.handlers},
                            limiters)
        await worker.start()
        try:
            async with session.post(f"{urls['rackbeat']}/_bench/change") as response:
                assert response.status == 200
            async with session.get(f"{urls['rackbeat']}/_bench/calls", params={"reset": "1"}):
                pass
            started = time.perf_counter()
            await asyncio.gather(*(
                inbox.store("rackbeat", "rackbeat", str(uuid.uuid4()), "inventory.changed",
                            json.dumps({"key": n, "key_name": "number", "event": "inventory.changed",
                                        "data": {"number": n}}).encode(), {})
                for n in _numbers()
            ))
            inbox_s = await _converged(database, started)
            elapsed = time.perf_counter() - started
        finally:
            await worker.stop(10)
        async with session.get(f"{urls['rackbeat']}/_bench/calls") as response:
            calls = await response.json()
        async with session.get(f"{urls['rackbeat']}/_bench/shown") as response:
            shown = await response.json()
        await database.close()
    expected = {n: _new_value(i) for i, n in enumerate(_numbers())}
    wrong = sum(shown[shop].get(sku) != qty for shop in shown for sku, qty in expected.items())
    floor_s, calls_min = _floor(math.ceil(SKUS / LISTING_PAGE))
    return {
        "stock_converge_s": elapsed,
        "stock_floor_s": floor_s,
        "stock_floor_ratio": elapsed / floor_s,
        "stock_webhooks_handled_s": inbox_s,
        "stock_calls": sum(calls.values()),
        "stock_calls_min": calls_min,
        "stock_rackbeat_reads": calls.get("rackbeat", 0),
        "stock_wrong_levels": wrong,
    }
