"""Initial sync of 50,000 products: a Shopify emulator seeded with 50,000 variants, an empty Rackbeat
emulator, both served in this process; ``initial-sync --products`` runs as its own process so its
peak RSS (sampled with psutil) is its own. Prints ``initial_sync_products_per_s`` (wall clock of the
whole command, start-up included) and ``initial_sync_peak_rss_mb`` (target <= 300)."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

import psutil

from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from tests.integration.test_products_world import SHOPIFY_ID, open_world, start_initial_sync, write_config

PRODUCTS = int(os.environ.get("BENCH_INITIAL_SYNC_PRODUCTS", 50_000))
SAMPLE_S = 0.1


async def run(database_url: str) -> dict[str, float | int]:
    skus = [f"B{n:07d}" for n in range(PRODUCTS)]
    seed = ShopifySeed(skus=skus, variants_per_product=1, available=5)
    async with open_world(seed, WooSeed(), RackbeatSeed(products=0, customers=0, suppliers=0)) as world:
        directory = Path(tempfile.mkdtemp(prefix="rbsync-bench-initial-"))
        data = world.config_data(master="shop")
        data["daemon"] = {"log_level": "warning"}
        config = write_config(directory / "config.toml", data)
        started = time.perf_counter()
        process = await start_initial_sync(config, database_url, directory / "log", "--shop", SHOPIFY_ID, "--products")
        peak = await _peak_rss(process)
        report, _ = await process.communicate()
        elapsed = time.perf_counter() - started
        created = sum(1 for number in world.rackbeat_emulator.state.catalog.products if number.startswith("B"))
    if process.returncode != 0 or created != PRODUCTS:
        raise RuntimeError(f"initial sync failed (exit {process.returncode}, {created} created): {report.decode()}")
    return {
        "initial_sync_products": PRODUCTS,
        "initial_sync_products_per_s": PRODUCTS / elapsed,
        "initial_sync_peak_rss_mb": peak / 2**20,
    }


async def _peak_rss(process: asyncio.subprocess.Process) -> int:
    watched = psutil.Process(process.pid)
    peak = 0
    while process.returncode is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), SAMPLE_S)
        except asyncio.TimeoutError:
            pass
    return peak
