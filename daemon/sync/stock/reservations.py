"""Units on shop orders that Rackbeat's available quantity does not account for yet.

Read from ``shop_order_lines`` (the stored version of each order, written by the order intake) joined
to ``shop_orders``: an order reserves while it has no Rackbeat order (waiting, queued, parked); a
skipped (cancelled) order reserves nothing. One aggregate query, whatever the backlog. A Rackbeat
*draft* reserves nothing in Rackbeat either, but is not counted here: the daemon never learns when a
user books or ships it, and counting it until then would under-show its units for good.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from daemon.db.database import Database

_RESERVED = """
SELECT l.sku, sum(l.quantity) AS units
  FROM shop_order_lines l JOIN shop_orders o USING (shop_id, shop_order_id)
 WHERE o.rackbeat_order_number IS NULL AND o.state IN ('waiting', 'queued', 'parked') AND l.sku = ANY($1::text[])
 GROUP BY l.sku
"""


class Reservations:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def by_sku(self, skus: Sequence[str]) -> dict[str, Decimal]:
        rows = await self._database.pool.fetch(_RESERVED, list(skus))
        return {row["sku"]: row["units"] for row in rows}
