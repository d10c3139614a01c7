"""``initial-sync`` run in-process against the emulators over real HTTP and a real PostgreSQL:
create / link / skip with reasons, stock as booked adjustments exactly once, dry runs, WooCommerce."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections import Counter
from decimal import Decimal

import pytest

from daemon.cli import products_cmd
from daemon.cli.products_cmd import INITIAL_SYNC_LOCKS
from daemon.db.locks import try_session_lock
from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from daemon.sync.products.stock_import import reference
from tests.integration.test_products_world import SHOPIFY_ID, WOO_ID, open_world, write_config

LONG = "L" * 26
SHOP_SKUS = ["P0001", "P0002", "N-1", "N-2", "N-3", LONG, "N-1", ""]


async def initial_sync(world, tmp_path, shop_id: str, *flags: str) -> tuple[int, str]:
    """Run the command as the CLI would, returning its exit code and its report (stdout)."""
    path = write_config(tmp_path / "config.toml", world.config_data(master="shop"))
    parser = argparse.ArgumentParser()
    products_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["initial-sync", "--config", str(path), "--shop", shop_id, *flags])
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = await args.func(args)
    return code, out.getvalue()


@pytest.fixture
async def shop_world(database_url, monkeypatch):
    monkeypatch.setenv("RACKBEAT_SYNC__DAEMON__DATABASE_URL", database_url)
    shopify = ShopifySeed(skus=SHOP_SKUS, variants_per_product=1, available=10)
    woo = WooSeed(simple_skus=["P0001", "W-1"], variable={"TEE": ["W-2", "W-3"]}, stock_quantity=4)
    async with open_world(shopify, woo, RackbeatSeed(products=4, customers=0, suppliers=0)) as world:
        yield world


def stock_at(world, number: str, location: int) -> Decimal:
    catalog = world.rackbeat_emulator.state.catalog
    return catalog.quantities(catalog.products[number], catalog.location(location)).stock


def adjustment_references(world) -> Counter:
    records = world.rackbeat_emulator.state.adjustments.records.values()
    assert all(record.booked_at is not None for record in records)
    return Counter(record.description for record in records)


async def test_products_are_created_linked_or_skipped_with_reasons_and_stock_adjusted_once(shop_world, db, tmp_path):
    world = shop_world
    code, report = await initial_sync(world, tmp_path, SHOPIFY_ID, "--products", "--stock")
    assert code == 0, report
    assert "products created: 3" in report and "products linked: 2" in report and "products skipped: 3" in report
    assert f"skipped {LONG} " in report and "SKU longer than 25 characters (26)" in report
    assert "duplicate SKU in the shop" in report and "skipped (no SKU)" in report
    assert "stock adjusted: 5" in report
    for number in ("N-1", "N-2", "N-3"):
        product = world.rackbeat_product(number)
        assert (product.name, product.group.number) == (f"Product {SHOP_SKUS.index(number) + 1}", 1)
    assert world.rackbeat_product(LONG) is None
    assert world.rackbeat_product("P0001").name == "Product 1"  # linked, not overwritten
    for number in ("P0001", "P0002", "N-1", "N-2", "N-3"):
        assert stock_at(world, number, 2) == 10  # the shop's level, at the shop's location
    assert stock_at(world, "P0001", 1) == 100  # other locations untouched
    stocked = ("P0001", "P0002", "N-1", "N-2", "N-3")
    assert adjustment_references(world) == Counter({reference(SHOPIFY_ID, number): 1 for number in stocked})

    products = len(world.rackbeat_emulator.state.catalog.products)
    code, again = await initial_sync(world, tmp_path, SHOPIFY_ID, "--products", "--stock")
    assert code == 0 and "products created: 0" in again and "products linked: 0" in again
    assert len(world.rackbeat_emulator.state.catalog.products) == products
    assert sum(adjustment_references(world).values()) == 5  # nothing twice


async def test_prices_are_converted_from_the_shop_s_vat_inclusive_prices(shop_world, db, tmp_path):
    world = shop_world
    assert (await initial_sync(world, tmp_path, SHOPIFY_ID))[0] == 0
    [variant] = [v for v in world.shop.variants.values() if v.sku == "N-2"]
    assert world.rackbeat_product("N-2").sales_price == (variant.price / Decimal("1.25")).quantize(Decimal("0.01"))
    assert world.rackbeat_emulator.state.adjustments.records == {}  # stock only when asked


async def test_a_dry_run_reports_and_writes_nothing(shop_world, db, tmp_path):
    world = shop_world
    products = len(world.rackbeat_emulator.state.catalog.products)
    code, report = await initial_sync(world, tmp_path, SHOPIFY_ID, "--products", "--stock", "--dry-run")
    assert code == 0, report
    assert "dry run" in report and "products would be created: 3" in report and "products would be linked: 2" in report
    assert "SKU longer than 25 characters (26)" in report
    assert len(world.rackbeat_emulator.state.catalog.products) == products
    assert world.rackbeat_emulator.state.adjustments.records == {}
    assert await db.pool.fetchval("SELECT count(*) FROM initial_sync_items") == 0
    assert await db.pool.fetchval("SELECT count(*) FROM initial_sync_runs") == 0


async def test_woocommerce_variations_are_products_of_their_own(shop_world, db, tmp_path):
    world = shop_world
    code, report = await initial_sync(world, tmp_path, WOO_ID, "--products", "--stock")
    assert code == 0, report
    assert "products created: 3" in report and "products linked: 1" in report
    assert world.rackbeat_product("W-2").name.startswith("Product TEE - ")
    assert world.rackbeat_product("TEE") is None
    assert world.rackbeat_product("W-1").sales_price == Decimal(80)  # 100.00 incl. 25% VAT
    for number in ("P0001", "W-1", "W-2", "W-3"):
        assert stock_at(world, number, 2) == 4


async def test_one_live_initial_sync_per_shop_at_a_time(shop_world, db, tmp_path, capsys):
    world = shop_world
    products = len(world.rackbeat_emulator.state.catalog.products)
    async with try_session_lock(db.pool, INITIAL_SYNC_LOCKS, SHOPIFY_ID) as held:
        assert held
        code, report = await initial_sync(world, tmp_path, SHOPIFY_ID)
    assert (code, report) == (1, "")
    assert "another initial sync of shop 'acme' is running" in capsys.readouterr().err
    assert len(world.rackbeat_emulator.state.catalog.products) == products
