"""The ``order.fulfil`` job: the shop order is fulfilled for exactly the lines of one Rackbeat shipment.

Shopify's ``fulfillmentCreate`` is not idempotent, so the job decides from quantities, not from memory:
what this shipment still has to fulfil = (quantities of this and all earlier done shipments) − what
the shop already shows fulfilled. A retry after a lost answer therefore finds nothing left to do.
WooCommerce has no partial fulfilment: the order gets a note per shipment (found again by its marker)
and the configured status once Rackbeat shipped everything.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any, Mapping

from daemon.config.model import ShopConfig
from daemon.connectors.shopify.inputs import Tracking
from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.errors import TerminalError
from daemon.logs.setup import get_logger
from daemon.queue.model import Job

log = get_logger()


class OrderFulfil:
    def __init__(
        self,
        database: Database,
        rackbeat: RackbeatClient,
        shops: Mapping[str, ShopConfig],
        shop_clients: Mapping[str, Any],
    ) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._shops = shops
        self._clients = shop_clients

    async def handle(self, job: Job) -> None:
        shipment_id = int(job.payload["shipment"])
        row = await self._database.pool.fetchrow(
            """SELECT f.*, o.rackbeat_order_number, o.name FROM order_fulfilments f
               JOIN shop_orders o USING (shop_id, shop_order_id) WHERE f.rackbeat_shipment_id = $1""",
            shipment_id,
        )
        if row is None:
            raise TerminalError(f"no recorded Rackbeat shipment {shipment_id}")
        if row["state"] == "done":
            return
        shop = self._shops[row["shop_id"]]
        client = self._clients[row["shop_id"]]
        lines = json.loads(row["lines"])
        if shop.type == "shopify":
            shop_ref = await self._fulfil_shopify(client, row, lines)
        else:
            shop_ref = await self._fulfil_woo(client, shop, row, lines)
        await self._database.pool.execute(
            """UPDATE order_fulfilments SET state = 'done', done_at = now(), shop_fulfilment_id = $2
               WHERE rackbeat_shipment_id = $1""",
            shipment_id,
            shop_ref,
        )
        log.info(
            "order.fulfilled",
            shop=row["shop_id"],
            order=row["shop_order_id"],
            order_name=row["name"],
            rackbeat_order=row["rackbeat_order_number"],
            shipment=shipment_id,
            lines=lines,
        )

    async def _fulfil_shopify(self, client, row, lines: list[dict]) -> str | None:
        fulfillment_orders = await client.fulfillment_orders(row["shop_order_id"])
        due = await self._still_due(row, lines, _shopify_fulfilled(fulfillment_orders))
        plan = allocate(due, fulfillment_orders)
        if not plan:
            return None  # an earlier attempt already did it, or nothing of it is in the shop order
        tracking = Tracking(**json.loads(row["tracking"])) if row["tracking"] else None
        created = None
        for fulfillment_order_id, fo_lines in plan.items():  # one fulfillment per location
            created = await client.fulfillment_create({fulfillment_order_id: fo_lines}, tracking)
        return created["id"] if created else None

    async def _still_due(self, row, lines: list[dict], shop_fulfilled: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """Per SKU, what this shipment must still add to what the shop shows fulfilled."""
        earlier = await self._database.pool.fetch(
            """SELECT lines FROM order_fulfilments
               WHERE shop_id = $1 AND shop_order_id = $2 AND state = 'done' AND rackbeat_shipment_id <> $3""",
            row["shop_id"],
            row["shop_order_id"],
            row["rackbeat_shipment_id"],
        )
        expected: dict[str, Decimal] = defaultdict(Decimal)
        for record in [*earlier, {"lines": json.dumps(lines)}]:
            for line in json.loads(record["lines"]):
                expected[line["sku"]] += Decimal(line["quantity"])
        due = {}
        for line in lines:
            missing = expected[line["sku"]] - shop_fulfilled.get(line["sku"], Decimal(0))
            if missing > 0:
                due[line["sku"]] = min(missing, Decimal(line["quantity"]))
        return due

    async def _fulfil_woo(self, client, shop: ShopConfig, row, lines: list[dict]) -> str | None:
        marker = f"Rackbeat shipment {row['rackbeat_shipment_id']}"
        notes = await client.order_notes(row["shop_order_id"])
        if not any(marker in (note.get("note") or "") for note in notes):
            shipped = ", ".join(f"{Decimal(line['quantity']).normalize()} x {line['sku']}" for line in lines)
            await client.add_order_note(row["shop_order_id"], f"{marker}: shipped {shipped}")
        order = await self._rackbeat.get_order(row["rackbeat_order_number"])
        if order is not None and order.get("is_shipped"):
            await client.update_order(row["shop_order_id"], {"status": shop.orders.fulfilled_status})
        return marker


def _shopify_fulfilled(fulfillment_orders: list[dict]) -> dict[str, Decimal]:
    fulfilled: dict[str, Decimal] = defaultdict(Decimal)
    for fulfillment_order in fulfillment_orders:
        for line in fulfillment_order["lineItems"]["nodes"]:
            sku = (line.get("lineItem") or {}).get("sku")
            if sku:
                fulfilled[sku] += Decimal(line["totalQuantity"] - line["remainingQuantity"])
    return fulfilled


def allocate(due: Mapping[str, Decimal], fulfillment_orders: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """Spread the due quantities over open fulfillment-order lines: ``{fo id: [(fo line id, quantity)]}``."""
    left = dict(due)
    plan: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for fulfillment_order in fulfillment_orders:
        if fulfillment_order.get("status", "OPEN").upper() not in ("OPEN", "IN_PROGRESS"):
            continue
        for line in fulfillment_order["lineItems"]["nodes"]:
            sku = (line.get("lineItem") or {}).get("sku")
            take = min(left.get(sku, Decimal(0)), Decimal(line["remainingQuantity"]))
            if take > 0:
                plan[fulfillment_order["id"]].append((line["id"], int(take)))
                left[sku] -= take
    return dict(plan)
