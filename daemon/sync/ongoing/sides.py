"""The two kinds of delivery coming back from Ongoing, side by side: what differs between a shipment
(an order picked and sent) and a receipt (a purchase order received), on both systems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from daemon.connectors.rackbeat import RackbeatClient
from daemon.http.urls import segment
from daemon.sync.ongoing.mapping import json_number
from daemon.sync.ongoing.reports import OngoingDocument, receipt_document, shipment_document
from daemon.sync.ongoing.statuses import ShippedStatuses
from daemon.sync.ongoing.warehouses import Warehouse

Record = dict[str, Any]


class ShipmentSide:
    kind = "shipment"
    event = "ongoing.shipment.created"

    def __init__(self, rackbeat: RackbeatClient, statuses: Mapping[str, ShippedStatuses]) -> None:
        self._rackbeat = rackbeat
        self._statuses = statuses

    async def load(self, warehouse: Warehouse, ongoing_id: int) -> OngoingDocument:
        order = await warehouse.client.get_order(ongoing_id)
        return shipment_document(order, await self._statuses[warehouse.id].numbers())

    async def rackbeat_documents(self, number: int) -> list[Record]:
        return await self._rackbeat.order_shipments(number)

    async def create(self, number: int, lines: list[Record]) -> Record:
        return await self._rackbeat.create_shipment(number, lines)

    async def complete(self, number: int, document: Record) -> None:
        await self._rackbeat.mark_shipment_shipped(document["id"])

    def is_complete(self, document: Record) -> bool:
        return bool(document.get("is_shipped"))

    async def report(self, warehouse: Warehouse, ongoing_id: int, line_id: int, reported: Decimal) -> None:
        await warehouse.client.report_order_line(ongoing_id, line_id, json_number(reported))


class ReceiptSide:
    kind = "receipt"
    event = "ongoing.receipt.created"

    def __init__(self, rackbeat: RackbeatClient) -> None:
        self._rackbeat = rackbeat

    async def load(self, warehouse: Warehouse, ongoing_id: int) -> OngoingDocument:
        purchase_order = await warehouse.client.get_purchase_order(ongoing_id)
        return receipt_document(purchase_order, immediately=warehouse.config.receive_when == "immediately")

    async def rackbeat_documents(self, number: int) -> list[Record]:
        path = f"/purchase-orders/{segment(number)}/receipts"
        return [r async for page in self._rackbeat.iter_pages(path, key="purchase_order_receipts") for r in page]

    async def create(self, number: int, lines: list[Record]) -> Record:
        return await self._rackbeat.create_receipt(number, lines)

    async def complete(self, number: int, document: Record) -> None:
        await self._rackbeat.mark_receipt_received(number, document["id"])

    def is_complete(self, document: Record) -> bool:
        return bool(document.get("is_received"))

    async def report(self, warehouse: Warehouse, ongoing_id: int, line_id: int, reported: Decimal) -> None:
        await warehouse.client.report_purchase_order_line(ongoing_id, line_id, json_number(reported))
