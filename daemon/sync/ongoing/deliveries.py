"""Ongoing → Rackbeat: shipments and receipts, every picked or received unit booked exactly once.

For one Ongoing order (or purchase order), under a lock:
1. an unfinished delivery in the ledger is finished first; otherwise the document is read fresh and
   ``done - reported`` per line becomes a new delivery, committed *before* anything is created, with
   the ids of the Rackbeat shipments/receipts that already exist;
2. the Rackbeat document is created — unless a new one (not among those ids) with exactly these line
   quantities is already there, which is ours from an attempt whose answer or bookkeeping was lost;
3. it is marked shipped/received, unless it already is;
4. Ongoing's reportedNumberOfItems is set per line to the absolute figure the delivery booked (never
   "reported := picked", which would swallow units picked since we read the order).
A crash anywhere resumes at the step it interrupted; then the document is read again for anything new.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from daemon.db.database import Database
from daemon.errors import TerminalError
from daemon.logs.setup import get_logger
from daemon.sync.ongoing.delivery_ledger import (
    COMPLETED,
    CREATED,
    INTENDED,
    REPORTED,
    Delivery,
    DeliveryLedger,
    DeliveryLine,
)
from daemon.sync.ongoing.locks import exclusive
from daemon.sync.ongoing.mapping import dec, json_number
from daemon.sync.ongoing.reports import OngoingDocument
from daemon.sync.ongoing.warehouses import Warehouse, Warehouses
from daemon.webhooks.dispatch import InboxItem

log = get_logger()
ROUNDS = 3  # an interrupted delivery, a new one, and the check that nothing is left
Record = dict[str, Any]


class DeliverySide(Protocol):
    kind: str
    event: str

    async def load(self, warehouse: Warehouse, ongoing_id: int) -> OngoingDocument: ...
    async def rackbeat_documents(self, number: int) -> list[Record]: ...
    async def create(self, number: int, lines: list[Record]) -> Record: ...
    async def complete(self, number: int, document: Record) -> None: ...
    def is_complete(self, document: Record) -> bool: ...
    async def report(self, warehouse: Warehouse, ongoing_id: int, line_id: int, reported: Decimal) -> None: ...


class DeliveryFlow:
    """Inbox handler for polled ``ongoing.shipment`` / ``ongoing.receipt`` items (payload ``{"id"}``)."""

    def __init__(self, database: Database, warehouses: Warehouses, side: DeliverySide) -> None:
        self._database = database
        self._warehouses = warehouses
        self._side = side

    async def handle(self, item: InboxItem) -> None:
        warehouse = self._warehouses.by_connection(item.connection)
        await self.settle(warehouse, int(item.payload["id"]))

    async def settle(self, warehouse: Warehouse, ongoing_id: int) -> None:
        ledger = DeliveryLedger(self._database.pool, warehouse.id, self._side.kind)
        async with exclusive(self._database, f"{self._side.kind}:{warehouse.id}:{ongoing_id}"):
            for _ in range(ROUNDS):
                delivery = await ledger.open(ongoing_id)
                resumed = delivery is not None
                delivery = delivery or await self._intend(ledger, warehouse, ongoing_id)
                if delivery is None:
                    return
                await self._finish(ledger, warehouse, delivery, resumed=resumed)

    async def _intend(self, ledger: DeliveryLedger, warehouse: Warehouse, ongoing_id: int) -> Delivery | None:
        document = await self._side.load(warehouse, ongoing_id)
        if not document.ready or document.rackbeat_number is None:
            return None
        bound = log.bind(ongoing=warehouse.id, ongoing_id=ongoing_id, rackbeat_number=document.rackbeat_number)
        lines = []
        for line in document.to_report:
            if line.rackbeat_line_id is None:
                bound.warning(f"ongoing.{self._side.kind}.foreign_line", line_id=line.line_id, quantity=str(line.new))
                continue
            lines.append(DeliveryLine(line.line_id, line.rackbeat_line_id, line.new, line.done))
        if not lines:
            return None
        existing = await self._side.rackbeat_documents(document.rackbeat_number)
        return await ledger.intend(ongoing_id, document.rackbeat_number, lines, [int(d["id"]) for d in existing])

    async def _finish(self, ledger: DeliveryLedger, warehouse: Warehouse, delivery: Delivery, *, resumed: bool) -> None:
        """``resumed``: the delivery is from an earlier attempt, which may have created the document."""
        side, number = self._side, delivery.rackbeat_number
        document = None
        if delivery.state == INTENDED:
            document = await self._ours(delivery) if resumed else None
            document = document or await side.create(number, _rackbeat_lines(delivery))
            delivery = await ledger.advance(delivery, CREATED, int(document["id"]))
        if delivery.state == CREATED:
            document = document or await self._document(delivery)
            if not side.is_complete(document):
                await side.complete(number, document)
            delivery = await ledger.advance(delivery, COMPLETED)
            log.info(
                side.event,
                ongoing=warehouse.id,
                ongoing_id=delivery.ongoing_id,
                rackbeat_number=number,
                rackbeat_id=delivery.rackbeat_document_id,
                lines=[(line.rackbeat_line_id, str(line.quantity)) for line in delivery.lines],
            )
        if delivery.state == COMPLETED:
            for line in delivery.lines:
                await side.report(warehouse, delivery.ongoing_id, line.ongoing_line_id, line.reported_to)
            await ledger.advance(delivery, REPORTED)

    async def _ours(self, delivery: Delivery) -> Record | None:
        """A Rackbeat document this delivery created in an attempt that did not get to record it."""
        wanted = {line.rackbeat_line_id: line.quantity for line in delivery.lines}
        for document in await self._side.rackbeat_documents(delivery.rackbeat_number):
            if int(document["id"]) not in delivery.known_documents and _quantities(document) == wanted:
                kind, ongoing_id = self._side.kind, delivery.ongoing_id
                log.info(f"ongoing.{kind}.adopted", rackbeat_id=document["id"], ongoing_id=ongoing_id)
                return document
        return None

    async def _document(self, delivery: Delivery) -> Record:
        for document in await self._side.rackbeat_documents(delivery.rackbeat_number):
            if int(document["id"]) == delivery.rackbeat_document_id:
                return document
        raise TerminalError(
            f"Rackbeat {self._side.kind} {delivery.rackbeat_document_id} of {delivery.rackbeat_number} has disappeared",
            delivery=delivery.id,
        )


def _rackbeat_lines(delivery: Delivery) -> list[Record]:
    return [{"line_id": line.rackbeat_line_id, "quantity": json_number(line.quantity)} for line in delivery.lines]


def _quantities(document: Record) -> dict[int, Decimal]:
    quantities: dict[int, Decimal] = {}
    for line in document.get("lines") or []:
        if line.get("line_id") is not None:
            key = int(line["line_id"])
            quantities[key] = quantities.get(key, Decimal(0)) + dec(line.get("quantity"))
    return quantities
