"""Seeing Rackbeat ship a transferred order: one ``order.fulfil`` job per shipment, exactly once.

Triggered by Rackbeat's ``order.shipped`` webhook and by the Rackbeat orders poller. The shipment id
is the primary key of ``order_fulfilments``, and the job is queued in the same transaction as the row,
so a shipment seen twice (webhook and poll, or a redelivery) is fulfilled once.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Mapping

from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.logs.setup import get_logger
from daemon.queue.store import JobQueue
from daemon.sync.rackbeat_items import is_webhook, record_number
from daemon.webhooks.dispatch import InboxItem

FULFIL_KIND = "order.fulfil"
log = get_logger()


def shipped_lines(shipment: Mapping[str, Any]) -> list[dict[str, str]]:
    """``[{"sku", "quantity"}]`` of a Rackbeat shipment, quantities as exact decimal strings."""
    return [
        {"sku": line["item"]["number"], "quantity": str(Decimal(str(line["quantity"])))}
        for line in shipment.get("lines", [])
        if line.get("item") and Decimal(str(line["quantity"])) > 0
    ]


class ShipmentWatcher:
    def __init__(self, database: Database, queue: JobQueue, rackbeat: RackbeatClient) -> None:
        self._database = database
        self._queue = queue
        self._rackbeat = rackbeat

    async def handle(self, item: InboxItem) -> None:
        number = _order_number(item.payload)
        if number is None:
            return
        link = await self._database.pool.fetchrow(
            "SELECT shop_id, shop_order_id FROM shop_orders WHERE rackbeat_order_number = $1", number
        )
        if link is None:
            return  # not an order this daemon transferred
        shipments = [s for s in await self._rackbeat.order_shipments(number) if s.get("is_shipped")]
        for shipment in shipments:
            await self._record(link["shop_id"], link["shop_order_id"], number, shipment)

    async def _record(self, shop_id: str, shop_order_id: str, order_number: int, shipment: Mapping[str, Any]) -> None:
        lines = shipped_lines(shipment)
        tracking = {"number": shipment["tracking_number"]} if shipment.get("tracking_number") else None
        async with self._database.pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetchval(
                """INSERT INTO order_fulfilments (rackbeat_shipment_id, shop_id, shop_order_id, lines, tracking)
                   VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
                   ON CONFLICT (rackbeat_shipment_id) DO NOTHING RETURNING true""",
                int(shipment["id"]),
                shop_id,
                shop_order_id,
                json.dumps(lines),
                None if tracking is None else json.dumps(tracking),
            )
            if inserted:
                await self._queue.enqueue(
                    FULFIL_KIND,
                    {"shipment": int(shipment["id"])},
                    connection=shop_id,
                    dedupe_key=f"fulfil:{shipment['id']}",
                    conn=conn,
                )
        if inserted:
            log.info("order.shipped_in_rackbeat", shop=shop_id, order=shop_order_id,
                     rackbeat_order=order_number, shipment=shipment["id"], lines=lines)


def _order_number(payload: Mapping[str, Any]) -> int | None:
    """A webhook names the order; a polled order counts only if it shipped at all."""
    if not is_webhook(payload) and not (payload.get("is_shipped") or payload.get("is_partly_shipped")):
        return None
    number = record_number(payload)
    return int(number) if number is not None else None
