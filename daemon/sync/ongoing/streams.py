"""What the pollers read from each warehouse: orders and purchase orders with lines to report, and
unreported inventory adjustments. Items only name what to look at; the handlers re-read and decide.

Nothing here depends on change times: orders and purchase orders come from Ongoing's "lines to
report" filter and adjustments from its "not reported" filter, so whatever is unfinished is listed
until it is finished. An item's key is the state it was seen in (a document's status and per-line
done/reported figures; an adjustment's inventory and article), versioned by the day: one state is
handled once a day at most, and one whose job gave up is tried again the next day by itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import AsyncIterator

from daemon.pollers.stream import PolledItem
from daemon.sync.ongoing.mapping import dec
from daemon.sync.ongoing.reports import receipt_document, shipment_document
from daemon.sync.ongoing.statuses import ShippedStatuses
from daemon.sync.ongoing.warehouses import Warehouse

SHIPMENT_TOPIC, RECEIPT_TOPIC, ADJUSTMENT_TOPIC = "ongoing.shipment", "ongoing.receipt", "ongoing.adjustment"
ADJUSTMENT_LOOKBACK = dt.timedelta(days=3)  # unreported adjustments this old are still picked up again


def day_of(instant: dt.datetime) -> dt.datetime:
    return instant.replace(hour=0, minute=0, second=0, microsecond=0)


class ShipmentStream:
    name = "shipments"

    def __init__(self, warehouse: Warehouse, statuses: ShippedStatuses) -> None:
        self.connection = warehouse.connection
        self.interval_s = warehouse.config.poll_interval_s
        self._warehouse = warehouse
        self._statuses = statuses

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        shipped = await self._statuses.numbers()
        if not shipped:
            return
        async for page in self._warehouse.client.orders_to_report(min(shipped), max(shipped)):
            for order in page:
                document = shipment_document(order, shipped)
                if document.ready and document.to_report:
                    yield PolledItem(SHIPMENT_TOPIC, document.fingerprint(), day_of(until), {"id": document.ongoing_id})


class ReceiptStream:
    name = "receipts"

    def __init__(self, warehouse: Warehouse) -> None:
        self.connection = warehouse.connection
        self.interval_s = warehouse.config.poll_interval_s
        self._warehouse = warehouse

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        immediately = self._warehouse.config.receive_when == "immediately"
        async for page in self._warehouse.client.purchase_orders_to_report():
            for purchase_order in page:
                document = receipt_document(purchase_order, immediately=immediately)
                if document.ready and document.to_report:
                    yield PolledItem(RECEIPT_TOPIC, document.fingerprint(), day_of(until), {"id": document.ongoing_id})


class AdjustmentStream:
    """Unreported adjustments, one item per (inventory, article); the window reaches back at least
    ``ADJUSTMENT_LOOKBACK`` (the endpoint has no pagination, and reported ones are not listed)."""

    name = "adjustments"

    def __init__(self, warehouse: Warehouse) -> None:
        self.connection = warehouse.connection
        self.interval_s = warehouse.config.poll_interval_s
        self._warehouse = warehouse

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        start = min(since, until - ADJUSTMENT_LOOKBACK)
        for group in await self._warehouse.client.unreported_adjustments(start, until):
            article = group["article"]
            totals: dict[int, Decimal] = {}
            causes: dict[int, str | None] = {}
            for line in group.get("inventoryAdjustments") or []:
                inventory_id = int(line["inventoryId"])
                totals[inventory_id] = totals.get(inventory_id, Decimal(0)) + dec(line.get("numberOfItems"))
                causes[inventory_id] = (line.get("inventoryAdjustmentCause") or {}).get("name")
            for inventory_id, quantity in totals.items():
                body = {
                    "inventoryId": inventory_id,
                    "articleSystemId": int(article["articleSystemId"]),
                    "articleNumber": article["articleNumber"],
                    "numberOfItems": str(quantity),
                    "cause": causes[inventory_id],
                }
                key = f"{inventory_id}:{article['articleSystemId']}"
                yield PolledItem(ADJUSTMENT_TOPIC, key, day_of(until), body)
