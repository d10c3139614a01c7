"""Units on shop orders that Rackbeat's available quantity does not account for yet, derived from ``shop_orders``.

Derived rather than kept in a table of its own: the order row *is* the reservation, so the two can never
disagree, and the order flow needs no extra bookkeeping. An order reserves while it has no Rackbeat order
(waiting, queued, parked); a skipped (cancelled) order reserves nothing. A Rackbeat *draft* reserves
nothing in Rackbeat either, but is not counted here: the daemon never learns when a user books or ships
it, and counting it until then would under-show its units for good. Lines are read through the order
flow's own mappers.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Callable, Mapping

from daemon.db.database import Database
from daemon.sync.model import Order
from daemon.sync.stock.formula import reserved_by_sku

Mapper = Callable[[Mapping[str, Any], str], Order]

_RESERVING = """
SELECT shop_id, payload_format, payload FROM shop_orders
 WHERE rackbeat_order_number IS NULL AND state IN ('waiting', 'queued', 'parked')
"""


class Reservations:
    def __init__(self, database: Database, mappers: Mapping[str, Mapper]) -> None:
        self._database = database
        self._mappers = mappers

    async def by_sku(self) -> dict[str, Decimal]:
        rows = await self._database.pool.fetch(_RESERVING)
        orders = [self._mappers[row["payload_format"]](json.loads(row["payload"]), row["shop_id"]) for row in rows]
        return reserved_by_sku(orders)
