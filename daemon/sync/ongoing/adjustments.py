"""Ongoing inventory adjustments → booked Rackbeat adjustments of the same delta at the mapped location.

Exactly once: the ledger row is written first; the Rackbeat adjustment carries a reference in its
description and is looked up by it before one is created (so a lost answer or a crash after the
create is adopted, and a draft left unbooked is booked); Ongoing's setReported comes last and is
safe to repeat. Deltas, never absolute quantities: a replay of an absolute figure would undo sales.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.logs.setup import get_logger
from daemon.sync.ongoing.adjustment_ledger import BOOKED, INTENDED, REPORTED, AdjustmentLedger
from daemon.sync.ongoing.locks import exclusive
from daemon.sync.ongoing.mapping import json_number
from daemon.sync.ongoing.warehouses import Warehouse, Warehouses
from daemon.webhooks.dispatch import InboxItem

log = get_logger()


def adjustment_reference(ongoing_id: str, inventory_id: int, article_system_id: int) -> str:
    return f"ongoing:{ongoing_id}:inventory:{inventory_id}:article:{article_system_id}"


class AdjustmentFlow:
    """Inbox handler for polled ``ongoing.adjustment`` items (see ``streams.AdjustmentStream``)."""

    def __init__(self, database: Database, rackbeat: RackbeatClient, warehouses: Warehouses) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._warehouses = warehouses

    async def handle(self, item: InboxItem) -> None:
        warehouse = self._warehouses.by_connection(item.connection)
        body = item.payload
        inventory_id, article_id = int(body["inventoryId"]), int(body["articleSystemId"])
        number, quantity = str(body["articleNumber"]), Decimal(str(body["numberOfItems"]))
        ledger = AdjustmentLedger(self._database.pool, warehouse.id)
        async with exclusive(self._database, f"adjustment:{warehouse.id}:{inventory_id}:{article_id}"):
            state = await ledger.record(inventory_id, article_id, number, quantity)
            if state == INTENDED and quantity:  # a net zero moves nothing; it is only acknowledged
                cause = body.get("cause")
                adjustment_id = await self._apply(warehouse, inventory_id, article_id, number, quantity, cause)
                await ledger.advance(inventory_id, article_id, BOOKED, adjustment_id)
            if state != REPORTED:
                await warehouse.client.set_adjustment_reported(inventory_id, article_id)
                await ledger.advance(inventory_id, article_id, REPORTED)

    async def _apply(
        self,
        warehouse: Warehouse,
        inventory_id: int,
        article_id: int,
        number: str,
        quantity: Decimal,
        cause: str | None,
    ) -> int:
        """The booked Rackbeat adjustment's id: found by its reference, or created, then booked."""
        reference = adjustment_reference(warehouse.id, inventory_id, article_id)
        found = [a for a in await self._rackbeat.find_adjustments(reference) if a.get("description") == reference]
        adjustment = found[0] if found else await self._rackbeat.create_adjustment(
            {
                "item_type": "product",
                "item_number": number,
                "location_number": warehouse.config.location,
                "quantity": json_number(quantity),
                "reason": cause or "Ongoing WMS",
                "description": reference,
            }
        )
        if not adjustment.get("is_booked"):
            await self._rackbeat.book_adjustment(adjustment["id"])
        log.info(
            "ongoing.adjustment.applied",
            ongoing=warehouse.id,
            inventory_id=inventory_id,
            article=number,
            quantity=str(quantity),
            location=warehouse.config.location,
            rackbeat_adjustment_id=adjustment["id"],
        )
        return int(adjustment["id"])
