"""SKU maps: duplicates and SKUs unknown to Rackbeat are reported and never pushed; product webhooks relink."""

from __future__ import annotations

from structlog.testing import capture_logs

from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from tests.integration.test_stock_world import SHOPIFY, SKUS, WOO, stock_world, world  # noqa: F401 - fixture


async def test_duplicate_and_unknown_skus_are_reported_once_each_and_not_pushed(db):
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=3, customers=1),
        shopify_seed=ShopifySeed(skus=["P0001", "P0001", "P0002", "NOT-IN-RB"], variants_per_product=1),
        woo_seed=WooSeed(simple_skus=["P0002"]),
    ) as world:
        with capture_logs() as logs:
            await world.reconcile(SHOPIFY)
        problems = [(e["event"], e["sku"]) for e in logs if e["event"].startswith("stock.link.")]
        assert problems == [("stock.link.duplicate_sku", "P0001"), ("stock.link.unknown_sku", "NOT-IN-RB")]
        assert all(e["shop"] == SHOPIFY for e in logs if e["event"].startswith("stock.link."))
        [report] = [e for e in logs if e["event"] == "sync.report"]
        assert (report["skus"], report["pushable"], report["duplicate_skus"], report["unknown_skus"]) == (3, 1, 1, 1)
        shown = world.shopify_emulator.shops[SHOPIFY]
        levels = sorted((shown.variant_of_item(lv.inventory_item_id).sku, lv.available) for lv in shown.levels.values())
        assert levels == [("NOT-IN-RB", 10), ("P0001", 10), ("P0001", 10), ("P0002", 120)]  # only P0002 pushed

        await world.rackbeat_stock("P0001", 1)
        await world.run_jobs()
        assert world.shopify_set_calls() == 1  # the duplicate stays untouched


async def test_a_product_webhook_relinks_and_pushes_the_new_variant(world):
    await world.reconcile()
    state = world.shopify_emulator.shops[SHOPIFY]
    variant = next(v for v in state.variants.values() if v.sku == "P0002")
    variant.sku = "P0006"  # renamed in the shop's admin: now a duplicate of P0006
    product = next(p for p in state.products.values() if variant.id in p.variant_ids)
    from daemon.sandbox.shopify.rest_json import product_json

    with capture_logs() as logs:
        await world.inbox("shopify", "products/update", product_json(state, product), connection=SHOPIFY)
    assert [(e["event"], e["sku"]) for e in logs if e["event"].startswith("stock.link.")] == [
        ("stock.link.duplicate_sku", "P0006")
    ]
    links = await world.db.pool.fetch("SELECT sku FROM stock_links WHERE shop_id = $1 ORDER BY sku", SHOPIFY)
    assert [r["sku"] for r in links] == ["P0001", "P0003", "P0004", "P0005", "P0006", "P0006"]


async def test_a_new_woo_variation_is_linked_from_its_webhook_and_pushed(world):
    await world.reconcile()
    site = world.woo_emulator.sites[WOO]
    parent = next(p for p in site.store.products.values() if p.type == "variable")
    variation = next(p for p in site.store.products.values() if p.sku == "P0006")
    variation.sku = "P0007"  # a SKU Rackbeat does not have yet
    await world.inbox("woocommerce", "product.updated", site.serializer.product(variation), connection=WOO)
    links = await world.db.pool.fetch(
        "SELECT sku, product_id FROM stock_links WHERE shop_id = $1 AND product_id IS NOT NULL ORDER BY sku", WOO
    )
    assert [(r["sku"], r["product_id"]) for r in links] == [("P0005", str(parent.id)), ("P0007", str(parent.id))]
    await world.run_jobs()
    assert world.shown(WOO)["P0007"] == 120  # pushed before the rename, not since: Rackbeat has no P0007


async def test_a_woo_product_webhook_echoing_our_own_push_is_not_pushed_again(world):
    """WooCommerce reports every stock write, ours included: pushing the echo again would loop forever."""
    await world.reconcile()
    site = world.woo_emulator.sites[WOO]
    simple = next(p for p in site.store.products.values() if p.type == "simple" and p.sku)
    variation = next(p for p in site.store.products.values() if p.type == "variation" and p.sku)
    jobs_before, reads_before = len(await world.queue.list(state="pending")), world.counters[WOO].count("/variations")
    for product in (simple, variation):
        await world.inbox("woocommerce", "product.updated", site.serializer.product(product), connection=WOO)
    assert len(await world.queue.list(state="pending")) == jobs_before  # nothing marked, no push queued
    assert world.counters[WOO].count("/variations") == reads_before  # and the parent's variations not read

    simple.stock_quantity, variation.stock_quantity = 3, 1  # edits in the shop: no longer what Rackbeat says
    for product in (simple, variation):
        await world.inbox("woocommerce", "product.updated", site.serializer.product(product), connection=WOO)
    assert world.counters[WOO].count("/variations") == reads_before  # linked as they were: nothing to read
    await world.run_jobs()
    assert world.shown(WOO)[simple.sku] == world.shown(WOO)[variation.sku] == 120
