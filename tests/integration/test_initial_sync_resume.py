"""``initial-sync`` as a real process, killed with SIGKILL mid-way and run again: every product is
created exactly once and every stock adjustment booked exactly once. The emulators are served in the
test process on 127.0.0.1; the CLI gets a config file pointing at them."""

from __future__ import annotations

import asyncio
from collections import Counter

from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from daemon.sync.products.stock_import import reference
from tests.integration.test_products_world import SHOPIFY_ID, open_world, start_initial_sync, write_config

SKUS = [f"R-{n:04d}" for n in range(600)]
KILL_AFTER = 150  # variants done when the first run is killed
ARGS = ("--shop", SHOPIFY_ID, "--products", "--stock")


async def wait_for_progress(db, process: asyncio.subprocess.Process, done: int) -> None:
    for _ in range(1200):
        count = await db.pool.fetchval("SELECT count(*) FROM initial_sync_items WHERE stock_outcome IS NOT NULL")
        if count >= done:
            return
        assert process.returncode is None, "the run ended before it could be killed"
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {done} variants done after 60 s")


async def test_killed_mid_way_then_resumed_every_product_and_adjustment_exactly_once(database_url, db, tmp_path):
    seed = ShopifySeed(skus=SKUS, variants_per_product=3, available=7)
    async with open_world(seed, WooSeed(), RackbeatSeed(products=0, customers=0, suppliers=0)) as world:
        world.rackbeat_emulator.faults.latency_ms = 5  # slow enough to be caught mid-way
        config = write_config(tmp_path / "config.toml", world.config_data(master="shop"))
        log = tmp_path / "initial-sync.log"

        first = await start_initial_sync(config, database_url, log, *ARGS)
        await wait_for_progress(db, first, KILL_AFTER)
        first.kill()  # SIGKILL: no cleanup, no final cursor write
        await first.wait()
        done = await db.pool.fetchval("SELECT count(*) FROM initial_sync_items WHERE stock_outcome IS NOT NULL")
        assert done < len(SKUS)
        assert await db.pool.fetchval("SELECT finished_at FROM initial_sync_runs") is None

        second = await start_initial_sync(config, database_url, log, *ARGS)
        report, _ = await second.communicate()
        assert second.returncode == 0, log.read_text()[-3000:]

        catalog = world.rackbeat_emulator.state.catalog
        assert {number for number in catalog.products if number.startswith("R-")} == set(SKUS)
        adjustments = world.rackbeat_emulator.state.adjustments.records.values()
        assert all(adjustment.booked_at is not None for adjustment in adjustments)
        assert Counter(a.description for a in adjustments) == Counter({reference(SHOPIFY_ID, sku): 1 for sku in SKUS})
        assert {catalog.quantities(catalog.products[sku], catalog.location(2)).stock for sku in SKUS} == {7}
        text = report.decode()
        assert "products created: 600" in text and "stock adjusted: 600" in text, text
        assert "resumed" in log.read_text()
