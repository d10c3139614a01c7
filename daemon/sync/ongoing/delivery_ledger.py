"""``ongoing_deliveries``: a shipment or receipt from its intent to Ongoing's acknowledgement.

intended  → the lines and the Rackbeat documents that existed before are committed; nothing created yet
created   → the Rackbeat shipment/receipt exists (its id is kept)
completed → it is marked shipped/received in Rackbeat (stock moved)
reported  → Ongoing's reportedNumberOfItems are set; the delivery is finished
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

INTENDED, CREATED, COMPLETED, REPORTED = "intended", "created", "completed", "reported"


@dataclass(frozen=True)
class DeliveryLine:
    ongoing_line_id: int
    rackbeat_line_id: int
    quantity: Decimal  # new in this delivery
    reported_to: Decimal  # Ongoing's reportedNumberOfItems once it is booked

    def as_json(self) -> dict:
        return {
            "ongoing_line_id": self.ongoing_line_id,
            "rackbeat_line_id": self.rackbeat_line_id,
            "quantity": str(self.quantity),
            "reported_to": str(self.reported_to),
        }

    @classmethod
    def from_json(cls, data: dict) -> DeliveryLine:
        return cls(
            int(data["ongoing_line_id"]),
            int(data["rackbeat_line_id"]),
            Decimal(data["quantity"]),
            Decimal(data["reported_to"]),
        )


@dataclass(frozen=True)
class Delivery:
    id: int
    ongoing_id: int
    rackbeat_number: int
    lines: tuple[DeliveryLine, ...]
    known_documents: frozenset[int]
    rackbeat_document_id: int | None
    state: str

    @classmethod
    def from_record(cls, row: asyncpg.Record) -> Delivery:
        return cls(
            row["id"],
            row["ongoing_id"],
            row["rackbeat_number"],
            tuple(DeliveryLine.from_json(line) for line in json.loads(row["lines"])),
            frozenset(json.loads(row["known_documents"])),
            row["rackbeat_document_id"],
            row["state"],
        )


class DeliveryLedger:
    def __init__(self, pool: asyncpg.Pool, connection: str, kind: str) -> None:
        self._pool = pool
        self._key = (connection, kind)

    async def open(self, ongoing_id: int) -> Delivery | None:
        row = await self._pool.fetchrow(
            """SELECT * FROM ongoing_deliveries
               WHERE connection = $1 AND kind = $2 AND ongoing_id = $3 AND state <> 'reported'""",
            *self._key,
            ongoing_id,
        )
        return None if row is None else Delivery.from_record(row)

    async def intend(
        self, ongoing_id: int, rackbeat_number: int, lines: list[DeliveryLine], known_documents: list[int]
    ) -> Delivery:
        row = await self._pool.fetchrow(
            """INSERT INTO ongoing_deliveries
                   (connection, kind, ongoing_id, rackbeat_number, lines, known_documents, state)
               VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, 'intended')
               RETURNING *""",
            *self._key,
            ongoing_id,
            rackbeat_number,
            json.dumps([line.as_json() for line in lines]),
            json.dumps(sorted(known_documents)),
        )
        return Delivery.from_record(row)

    async def advance(self, delivery: Delivery, state: str, document_id: int | None = None) -> Delivery:
        row = await self._pool.fetchrow(
            """UPDATE ongoing_deliveries
                  SET state = $2, rackbeat_document_id = coalesce($3, rackbeat_document_id), updated_at = now()
                WHERE id = $1
            RETURNING *""",
            delivery.id,
            state,
            document_id,
        )
        return Delivery.from_record(row)
