"""A full reconcile repairs a shop that drifted (a level changed in its admin), even though the last
pushed value did not change; the clock stream schedules it."""

from __future__ import annotations

import datetime as dt

from daemon.sync.stock.reconcile import RECONCILE_DUE, RECONCILE_KIND
from tests.integration.test_stock_world import SHOPIFY, WOO, world  # noqa: F401 - fixture


async def test_reconcile_repairs_drifted_levels(world):
    await world.reconcile()
    async with world.session.post(f"{world.urls[SHOPIFY].rsplit('/', 1)[0]}/_sandbox/{SHOPIFY}/inventory",
                                  json={"sku": "P0004", "available": 999}) as response:
        assert response.status == 200
    world.woo_emulator.sites[WOO].products.change_stock(
        next(p for p in world.woo_emulator.sites[WOO].store.products.values() if p.sku == "P0005"), 50
    )
    assert world.shown(SHOPIFY)["P0004"] == 999 and world.shown(WOO)["P0005"] == 170

    await world.rackbeat_stock("P0001", 100)  # an unrelated trigger does not touch the drifted SKUs
    await world.run_jobs()
    assert world.shown(SHOPIFY)["P0004"] == 999

    await world.reconcile()
    assert world.shown(SHOPIFY)["P0004"] == 120 and world.shown(WOO)["P0005"] == 120


async def test_the_clock_stream_makes_one_reconcile_job_per_due_run(world):
    [stream] = [s for s in world.parts.streams if s.connection == SHOPIFY]
    now = dt.datetime.now(dt.timezone.utc)
    [item] = [i async for i in stream.fetch(now - dt.timedelta(hours=6), now)]
    assert item.topic == RECONCILE_DUE
    await world.inbox("poll", RECONCILE_DUE, item.body, connection=SHOPIFY)
    await world.inbox("poll", RECONCILE_DUE, item.body, connection=SHOPIFY)
    jobs = await world.queue.list(state="pending", kind=RECONCILE_KIND)
    assert [(job.payload, job.connection) for job in jobs] == [({"shop": SHOPIFY}, SHOPIFY)]
