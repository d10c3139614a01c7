"""Two daemon processes on one database, each order reaching both of them at once: every webhook goes to
both listeners (each daemon subscribes its own address, as two installations on one database would) and
both processes poll the shops every second. Deliveries, polls and transfers of one order race across
the processes; it still becomes exactly one Rackbeat order."""

from __future__ import annotations

import pytest

from tests.e2e import ledger
from tests.e2e.shoppers import Shoppers
from tests.integration.waiting import wait_until

pytestmark = pytest.mark.slow

ORDERS = 60
SETTLE_TIMEOUT_S = 90.0


@pytest.fixture
def daemon_settings() -> dict[str, object]:
    return {"poll_interval_s": 1}


async def test_an_order_seen_everywhere_at_once_is_one_rackbeat_order(world, session, daemons, database_url):
    first, second = await daemons.start(), await daemons.start()  # each subscribes its own address
    placed = await Shoppers(world, session, seed=2).place(ORDERS, concurrency=12)
    keys = [(order.shop_id, str(order.order_id)) for order in placed]

    async def settled_everywhere() -> bool:
        seen = await ledger.sightings(database_url)
        return all(len(seen[key]) == 2 for key in keys) and await ledger.settled(database_url, ORDERS)

    await wait_until(settled_everywhere, SETTLE_TIMEOUT_S, step=0.5)  # each seen by webhook and by poll
    found = ledger.rackbeat_orders(world)
    assert {reference: len(documents) for reference, documents in found.items() if len(documents) > 1} == {}
    assert sorted(found) == sorted(ledger.reference(order) for order in placed)
    assert ledger.wrong_totals(world, placed) == []
    assert await ledger.troubles(database_url) == {"failed_jobs": [], "untransferred": []}
    assert all('"webhook.received"' in daemon.log() for daemon in (first, second))
