"""The binder between shop orders and Rackbeat orders (table ``shop_orders``).

The primary key (shop, shop order id) and the unique Rackbeat order number are the guard against a
second Rackbeat order; everything else here is bookkeeping the transfer steps resume from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import asyncpg

from daemon.sync.model import Order

WAITING, QUEUED, TRANSFERRED, PARKED, SKIPPED = "waiting", "queued", "transferred", "parked", "skipped"


@dataclass(frozen=True)
class OrderLink:
    shop_id: str
    shop_order_id: str
    name: str
    state: str
    reason: str | None
    shop_updated_at: dt.datetime
    payload_format: str
    payload: dict[str, Any]
    first_seen_at: dt.datetime
    reference: str
    create_attempted_at: dt.datetime | None
    rackbeat_order_number: int | None
    rackbeat_customer_number: int | None
    transferred_at: dt.datetime | None
    processed_to: str | None
    shop_cancelled_at: dt.datetime | None
    attention: str | None
    backfill: bool

    @classmethod
    def from_record(cls, record: asyncpg.Record) -> "OrderLink":
        fields = {k: record[k] for k in cls.__dataclass_fields__}
        fields["payload"] = json.loads(fields["payload"])
        return cls(**fields)


def reference_for(shop_id: str, shop_order_id: str) -> str:
    """The idempotency reference written on the Rackbeat order and searched before any retry."""
    return f"rbsync:{shop_id}:{shop_order_id}"


_UPSERT_NEWEST = """
INSERT INTO shop_orders (shop_id, shop_order_id, name, state, shop_updated_at, payload_format, payload, reference,
                         backfill)
VALUES ($1, $2, $3, 'waiting', $4, $5, $6::jsonb, $7, $8)
ON CONFLICT (shop_id, shop_order_id) DO UPDATE
   SET (name, shop_updated_at, payload_format, payload) =
           (SELECT EXCLUDED.name, EXCLUDED.shop_updated_at, EXCLUDED.payload_format, EXCLUDED.payload
             WHERE shop_orders.shop_updated_at <= EXCLUDED.shop_updated_at
            UNION ALL
            SELECT shop_orders.name, shop_orders.shop_updated_at, shop_orders.payload_format, shop_orders.payload
             WHERE shop_orders.shop_updated_at > EXCLUDED.shop_updated_at),
       backfill = shop_orders.backfill OR EXCLUDED.backfill
 WHERE shop_orders.shop_updated_at < EXCLUDED.shop_updated_at
    OR (shop_orders.shop_updated_at = EXCLUDED.shop_updated_at AND shop_orders.payload <> EXCLUDED.payload)
    OR (EXCLUDED.backfill AND NOT shop_orders.backfill)
RETURNING *, (xmax = 0) AS inserted
"""


class OrderLinks:
    """SQL for ``shop_orders``; every method takes the connection so callers control the transaction."""

    async def upsert_newest(
        self,
        conn: asyncpg.Connection,
        *,
        shop_id: str,
        shop_order_id: str,
        name: str,
        updated_at: dt.datetime,
        payload_format: str,
        payload: dict[str, Any],
        backfill: bool = False,
    ) -> tuple[OrderLink, bool] | None:
        """Store this version unless it is older than the stored one or the very same (a shop sends one
        snapshot under several topics); None means nothing was written (:meth:`is_stored` tells which).

        A backfill request always gets through (it only adds the backfill mark, never older data).
        """
        record = await conn.fetchrow(
            _UPSERT_NEWEST,
            shop_id,
            shop_order_id,
            name,
            updated_at,
            payload_format,
            json.dumps(payload),
            reference_for(shop_id, shop_order_id),
            backfill,
        )
        return None if record is None else (OrderLink.from_record(record), record["inserted"])

    async def is_stored(self, conn: asyncpg.Connection, shop_id: str, shop_order_id: str, updated_at: dt.datetime) -> bool:
        """Whether the stored version has this ``updated_at`` (a duplicate, not a stale payload)."""
        stored = await conn.fetchval(
            "SELECT shop_updated_at FROM shop_orders WHERE shop_id = $1 AND shop_order_id = $2", shop_id, shop_order_id
        )
        return stored == updated_at

    async def replace_lines(self, conn: asyncpg.Connection, order: Order) -> None:
        """The stored version's product lines (those with a SKU), for the stock reservations."""
        lines = [line for line in order.lines if line.sku and line.quantity > 0]
        await conn.execute(
            "DELETE FROM shop_order_lines WHERE shop_id = $1 AND shop_order_id = $2", order.shop_id, order.shop_order_id
        )
        await conn.executemany(
            "INSERT INTO shop_order_lines (shop_id, shop_order_id, line_id, sku, quantity) VALUES ($1, $2, $3, $4, $5)",
            [(order.shop_id, order.shop_order_id, line.line_id, line.sku, line.quantity) for line in lines],
        )

    async def get(self, conn: asyncpg.Connection, shop_id: str, shop_order_id: str) -> OrderLink | None:
        record = await conn.fetchrow(
            "SELECT * FROM shop_orders WHERE shop_id = $1 AND shop_order_id = $2", shop_id, shop_order_id
        )
        return None if record is None else OrderLink.from_record(record)

    async def set_state(
        self, conn: asyncpg.Connection, link: OrderLink, state: str, reason: str | None = None
    ) -> None:
        await conn.execute(
            "UPDATE shop_orders SET state = $3, reason = $4 WHERE shop_id = $1 AND shop_order_id = $2",
            link.shop_id,
            link.shop_order_id,
            state,
            reason,
        )

    async def mark_create_attempted(self, conn: asyncpg.Connection, link: OrderLink) -> None:
        await conn.execute(
            """UPDATE shop_orders SET create_attempted_at = coalesce(create_attempted_at, now())
               WHERE shop_id = $1 AND shop_order_id = $2""",
            link.shop_id,
            link.shop_order_id,
        )

    async def link_rackbeat_order(
        self,
        conn: asyncpg.Connection,
        link: OrderLink,
        *,
        order_number: int,
        customer_number: int | None,
        processed_to: str,
    ) -> OrderLink:
        """The Rackbeat order, and the step its create already took; returns the link as now stored."""
        record = await conn.fetchrow(
            """UPDATE shop_orders
                  SET rackbeat_order_number = $3, rackbeat_customer_number = $4, processed_to = $5,
                      transferred_at = coalesce(transferred_at, now()), state = 'transferred', reason = NULL
                WHERE shop_id = $1 AND shop_order_id = $2
            RETURNING *""",
            link.shop_id,
            link.shop_order_id,
            order_number,
            customer_number,
            processed_to,
        )
        return OrderLink.from_record(record)

    async def set_processed_to(self, conn: asyncpg.Connection, link: OrderLink, step: str) -> None:
        await conn.execute(
            "UPDATE shop_orders SET processed_to = $3 WHERE shop_id = $1 AND shop_order_id = $2",
            link.shop_id,
            link.shop_order_id,
            step,
        )

    async def flag(self, conn: asyncpg.Connection, link: OrderLink, attention: str, *, cancelled: bool) -> None:
        await conn.execute(
            """UPDATE shop_orders
                  SET attention = $3,
                      shop_cancelled_at = CASE WHEN $4 THEN coalesce(shop_cancelled_at, now()) ELSE shop_cancelled_at END
                WHERE shop_id = $1 AND shop_order_id = $2""",
            link.shop_id,
            link.shop_order_id,
            attention,
            cancelled,
        )
