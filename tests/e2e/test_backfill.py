"""Orders placed before a shop's ``start_date`` are history: webhooks and polls of them are ignored,
and ``rackbeat-sync backfill-orders --shop ID --since DATE`` transfers those created since DATE, once."""

from __future__ import annotations

import datetime as dt

import pytest

from daemon.cli.orders_cmd import EXIT_STOPPED
from daemon.sandbox.storefronts import PlacedOrder
from daemon.sandbox.world import SandboxWorld
from tests.e2e import ledger
from tests.e2e.shoppers import Shoppers
from tests.e2e.stack import SHOP_IDS
from tests.integration.waiting import wait_until

pytestmark = pytest.mark.slow

TODAY = dt.datetime.now(dt.timezone.utc).date()
RECENT_HISTORY = dt.timedelta(days=10)  # backfilled
OLD_HISTORY = dt.timedelta(days=40)  # before --since: stays out
SINCE = TODAY - dt.timedelta(days=20)
PER_GROUP = 9
SETTLE_TIMEOUT_S = 60.0
BACKFILL_RUNS = 3


@pytest.fixture
def daemon_settings() -> dict[str, object]:
    return {"poll_interval_s": 2, "start_date": TODAY.isoformat()}


def backdate(world: SandboxWorld, order: PlacedOrder, age: dt.timedelta) -> None:
    """The order was placed ``age`` ago (the emulators only place orders now)."""
    created = dt.datetime.now(dt.timezone.utc) - age
    if order.shop_id in world.shopify.shops:
        world.shopify.shops[order.shop_id].orders[order.order_id].created_at = created
    else:
        world.woocommerce.sites[order.shop_id].store.orders[order.order_id].date_created = created


async def touch(session, world: SandboxWorld, order: PlacedOrder) -> None:
    """The merchant edits the old order, so the shop sends a webhook about it (with its old creation date)."""
    if order.shop_id in world.shopify.shops:
        base, action, body = world.base_urls["shopify"], "edit", {"note": "seen"}
    else:
        base, action, body = world.base_urls["woocommerce"], "status", {"status": "completed"}
    async with session.post(f"{base}/_sandbox/{order.shop_id}/orders/{order.order_id}/{action}", json=body) as answer:
        assert answer.status == 200, await answer.text()


async def backfill(daemons, shop_id: str) -> tuple[int, str]:
    """Run the command as an operator would: once more when it stopped (exit 1, "run the same command
    again"), which happens when the daemon's own polls leave it too little of Shopify's query budget."""
    for _ in range(BACKFILL_RUNS):
        code, report = await daemons.command("backfill-orders", "--shop", shop_id, "--since", SINCE.isoformat())
        if code != EXIT_STOPPED:
            break
    return code, report


async def test_history_waits_for_the_backfill_command(world, session, daemons, database_url):
    shoppers = Shoppers(world, session, seed=20)
    recent, old = await shoppers.place(PER_GROUP), await shoppers.place(PER_GROUP)
    for orders, age in ((recent, RECENT_HISTORY), (old, OLD_HISTORY)):
        for order in orders:
            backdate(world, order, age)
    await daemons.start()
    for order in (*recent, *old):
        await touch(session, world, order)
    current = await shoppers.place(PER_GROUP)

    async def history_seen_both_ways() -> bool:
        seen = await ledger.sightings(database_url)
        return all(len(seen[(o.shop_id, str(o.order_id))]) == 2 for o in (*recent, *old))

    async def current_transferred() -> bool:
        return ledger.all_in_rackbeat(world, current)

    await wait_until(history_seen_both_ways, SETTLE_TIMEOUT_S, step=0.5)
    await wait_until(current_transferred, SETTLE_TIMEOUT_S, step=0.5)
    assert not set(ledger.rackbeat_orders(world)) & {ledger.reference(o) for o in (*recent, *old)}
    waiting = (await ledger.troubles(database_url))["untransferred"]
    assert len(waiting) == 2 * PER_GROUP and all("before the start date" in row["reason"] for row in waiting)

    reports = [await backfill(daemons, shop) for shop in SHOP_IDS]
    assert [code for code, _ in reports] == [0] * len(SHOP_IDS), reports

    async def backfilled() -> bool:
        return ledger.all_in_rackbeat(world, recent) and await ledger.settled(database_url, 2 * PER_GROUP)

    await wait_until(backfilled, SETTLE_TIMEOUT_S, step=0.5)
    found = ledger.rackbeat_orders(world)
    assert sorted(found) == sorted(ledger.reference(o) for o in (*current, *recent))
    assert all(len(documents) == 1 for documents in found.values())
    assert ledger.wrong_totals(world, [*current, *recent]) == []
    still_waiting = (await ledger.troubles(database_url))["untransferred"]
    assert sorted((r["shop_id"], r["shop_order_id"]) for r in still_waiting) == sorted(
        (o.shop_id, str(o.order_id)) for o in old
    )

    again = [await backfill(daemons, shop) for shop in SHOP_IDS]
    assert all(code == 0 and "queued" not in out for code, out in again), again
    assert len(ledger.rackbeat_orders(world)) == 2 * PER_GROUP
