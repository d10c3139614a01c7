"""Coalescing, batch sizes and location-specific stock, over real HTTP against the emulators."""

from __future__ import annotations

from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from daemon.sync.stock.marks import PUSH_KIND
from tests.integration.test_stock_world import SHOPIFY, SKUS, WOO, stock_world, world  # noqa: F401 - fixture


async def test_a_hundred_changes_of_one_sku_make_at_most_two_pushes_per_shop(world):
    await world.reconcile()
    sets, batches = world.shopify_set_calls(), world.woo_batch_calls()
    for quantity in range(1, 101):
        await world.rackbeat_stock("P0003", quantity)
    assert len(await world.queue.list(state="pending")) == 2  # one coalesced push job per shop
    await world.run_jobs()
    assert world.shown(SHOPIFY)["P0003"] == world.shown(WOO)["P0003"] == 120
    assert world.shopify_set_calls() - sets <= 2
    assert world.woo_batch_calls() - batches <= 2


async def test_six_hundred_skus_go_in_full_batches(db):
    skus = [f"P{i:04d}" for i in range(1, 601)]
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=600, customers=1),
        shopify_seed=ShopifySeed(skus=skus, variants_per_product=1),
        woo_seed=WooSeed(simple_skus=skus),
    ) as world:
        await world.reconcile()
        assert world.shopify_set_calls() == 3  # 250 + 250 + 100
        assert world.woo_batch_calls() == 6  # 100 each
        sizes = [len(group.changes) // 2 for group in world.shopify_emulator.shops[SHOPIFY].adjustment_groups.values()]
        assert sorted(sizes) == [100, 250, 250]
        # one listing per shop to link and one per shop to push: never 600 single reads
        assert world.counters["rackbeat"].count("GET /api/products") == 4
        assert set(world.shown(SHOPIFY).values()) == set(world.shown(WOO).values()) == {120}


async def test_a_shop_counts_only_its_own_rackbeat_location(db):
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=2, customers=1),
        shopify_seed=ShopifySeed(skus=["P0001", "P0002"]),
        woo_seed=WooSeed(simple_skus=["P0001", "P0002"]),
        **{WOO: {"location": 2}},
    ) as world:
        await world.reconcile()
        assert world.shown(SHOPIFY) == {"P0001": 120, "P0002": 120}  # all locations
        assert world.shown(WOO) == {"P0001": 20, "P0002": 20}  # location 2 only
        await world.rackbeat_stock("P0001", 7, location=2)
        await world.run_jobs()
        assert world.shown(SHOPIFY)["P0001"] == 107
        assert world.shown(WOO)["P0001"] == 7


async def test_a_second_push_job_of_a_shop_leaves_the_work_to_the_one_running(world):
    """While one push job drains a shop, another one for that shop ends at once; the marks it was
    queued for are drained by the first, which looks again after letting go of its lock."""
    await world.reconcile()
    pusher = world.parts.handlers[PUSH_KIND]
    target = world.flow.pusher._shops[SHOPIFY].target
    push = target.push
    second: list[str] = []

    async def with_a_rival(batch):
        target.push = push
        await world.rackbeat_stock("P0002", 1)  # marks P0002 and queues another push job per shop
        [rival] = [j for j in await world.queue.list(state="pending") if j.connection == SHOPIFY]
        await pusher.handle(rival)  # ends at once: the lock is held
        second.append(world.shown(SHOPIFY)["P0002"])
        return await push(batch)

    target.push = with_a_rival
    await world.rackbeat_stock("P0001", 5)
    await world.run_jobs()
    assert second == [120]  # the rival pushed nothing
    assert world.shown(SHOPIFY)["P0001"] == 25 and world.shown(SHOPIFY)["P0002"] == 21
    assert world.shown(WOO)["P0002"] == 21


async def test_an_item_shopify_refuses_does_not_hold_up_the_rest_of_its_batch(world):
    from structlog.testing import capture_logs

    await world.reconcile(WOO)  # link Woo only; Shopify is linked and pushed below
    state = world.shopify_emulator.shops[SHOPIFY]
    unstocked = next(v for v in state.variants.values() if v.sku == "P0003")
    del state.levels[(unstocked.inventory_item_id, min(state.locations))]
    with capture_logs() as logs:
        await world.reconcile(SHOPIFY)
    assert [(e["sku"], e["shop"]) for e in logs if e["event"] == "stock.push_refused"] == [("P0003", SHOPIFY)]
    assert world.shown(SHOPIFY) == {sku: 120 for sku in SKUS if sku != "P0003"}
    assert await world.db.pool.fetchval("SELECT count(*) FROM stock_dirty") == 0
