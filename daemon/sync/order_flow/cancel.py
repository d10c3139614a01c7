"""The ``order.cancel`` job: a shop cancelled a transferred order and the shop's option says to follow.

Only an order Rackbeat has not shipped can be cancelled; a shipped one stays flagged for the operator.
"""

from __future__ import annotations

from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.errors import TerminalError
from daemon.logs.setup import get_logger
from daemon.queue.model import Job
from daemon.sync.order_flow.links import OrderLinks

log = get_logger()


class OrderCancel:
    def __init__(self, database: Database, rackbeat: RackbeatClient, links: OrderLinks) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._links = links

    async def handle(self, job: Job) -> None:
        shop_id, shop_order_id = job.payload["shop"], job.payload["order"]
        async with self._database.pool.acquire() as conn:
            link = await self._links.get(conn, shop_id, shop_order_id)
        if link is None or link.rackbeat_order_number is None:
            raise TerminalError(f"order {shop_id}:{shop_order_id} has no Rackbeat order to cancel")
        number = link.rackbeat_order_number
        order = await self._rackbeat.get_order(number)
        bound = log.bind(shop=shop_id, order=shop_order_id, rackbeat_order=number)
        if order is None or order.get("is_cancelled"):
            return
        if order.get("is_shipped") or order.get("is_partly_shipped"):
            note = f"cancelled in {shop_id} but Rackbeat order {number} is already shipped: handle the return"
            async with self._database.pool.acquire() as conn:
                await self._links.flag(conn, link, note, cancelled=True)
            bound.warning("order.cancel_refused", reason=note)
            return
        await self._rackbeat.cancel_order(number)
        async with self._database.pool.acquire() as conn:
            await self._links.flag(conn, link, f"cancelled in {shop_id}; Rackbeat order {number} cancelled", cancelled=True)
        bound.info("order.cancelled_in_rackbeat")
