"""The binder between shop orders and Rackbeat orders (table ``shop_orders``).

The primary key (shop, shop order id) and the unique Rackbeat order number are the guard against a
second Rackbeat order; everything else here is bookkeeping the transfer steps resume from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Sequence

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
    payload_json: str = field(repr=False)  # as stored; see ``payload``
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

    @cached_property
    def payload(self) -> dict[str, Any]:
        """Parsed on first use: the intake reads a link for its state and never needs the order's body."""
        return json.loads(self.payload_json)

    @classmethod
    def from_record(cls, record: asyncpg.Record) -> "OrderLink":
        columns = {k: record[k] for k in cls.__dataclass_fields__ if k != "payload_json"}
        return cls(**columns, payload_json=record["payload"])


def reference_for(shop_id: str, shop_order_id: str) -> str:
    """The idempotency reference written on the Rackbeat order and searched before any retry."""
    return f"rbsync:{shop_id}:{shop_order_id}"


# One statement for a batch of orders (one version each), in key order so that concurrent batches lock
# their rows in the same order and cannot deadlock.
_UPSERT_NEWEST = """
INSERT INTO shop_orders AS o (shop_id, shop_order_id, name, state, shop_updated_at, payload_format, payload,
                              reference, backfill)
SELECT v.shop_id, v.shop_order_id, v.name, 'waiting', v.updated_at, v.payload_format, v.payload::jsonb,
       'rbsync:' || v.shop_id || ':' || v.shop_order_id, v.backfill
FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::bool[])
     AS v(shop_id, shop_order_id, name, updated_at, payload_format, payload, backfill)
ORDER BY v.shop_id, v.shop_order_id
ON CONFLICT (shop_id, shop_order_id) DO UPDATE
   SET (name, shop_updated_at, payload_format, payload) =
           (SELECT EXCLUDED.name, EXCLUDED.shop_updated_at, EXCLUDED.payload_format, EXCLUDED.payload
             WHERE o.shop_updated_at <= EXCLUDED.shop_updated_at
            UNION ALL
            SELECT o.name, o.shop_updated_at, o.payload_format, o.payload
             WHERE o.shop_updated_at > EXCLUDED.shop_updated_at),
       backfill = o.backfill OR EXCLUDED.backfill
 WHERE o.shop_updated_at < EXCLUDED.shop_updated_at
    OR (o.shop_updated_at = EXCLUDED.shop_updated_at AND o.payload <> EXCLUDED.payload)
    OR (EXCLUDED.backfill AND NOT o.backfill)
RETURNING *, (xmax = 0) AS inserted
"""


@dataclass(frozen=True)
class OrderVersion:
    """One version of a shop order to store."""

    order: Order
    payload_format: str
    payload: dict[str, Any]
    backfill: bool = False


class OrderLinks:
    """SQL for ``shop_orders``; every method takes the connection so callers control the transaction."""

    async def upsert_newest(
        self, conn: asyncpg.Connection, versions: Sequence[OrderVersion]
    ) -> dict[tuple[str, str], tuple[OrderLink, bool]]:
        """Store each version (at most one per order) unless it is older than the stored one or the very
        same (a shop sends one snapshot under several topics). Returns, by (shop, order id), the link
        and whether it is new, for the versions written; :meth:`stored_versions` tells the others apart.

        A backfill request always gets through (it only adds the backfill mark, never older data).
        """
        if not versions:
            return {}
        records = await conn.fetch(
            _UPSERT_NEWEST,
            [v.order.shop_id for v in versions],
            [v.order.shop_order_id for v in versions],
            [v.order.name for v in versions],
            [v.order.updated_at for v in versions],
            [v.payload_format for v in versions],
            [json.dumps(v.payload) for v in versions],
            [v.backfill for v in versions],
        )
        return {(r["shop_id"], r["shop_order_id"]): (OrderLink.from_record(r), r["inserted"]) for r in records}

    async def stored_versions(
        self, conn: asyncpg.Connection, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], dt.datetime]:
        """The stored version's ``updated_at`` of each order: equal to a sighting's, it was a duplicate."""
        records = await conn.fetch(
            """SELECT o.shop_id, o.shop_order_id, o.shop_updated_at
               FROM unnest($1::text[], $2::text[]) AS k(shop_id, shop_order_id)
               JOIN shop_orders o USING (shop_id, shop_order_id)""",
            [shop for shop, _ in keys],
            [order for _, order in keys],
        )
        return {(r["shop_id"], r["shop_order_id"]): r["shop_updated_at"] for r in records}

    async def replace_lines(self, conn: asyncpg.Connection, orders: Sequence[Order]) -> None:
        """The stored versions' product lines (those with a SKU), for the stock reservations."""
        if not orders:
            return
        lines = [(o, line) for o in orders for line in o.lines if line.sku and line.quantity > 0]
        await conn.execute(
            """WITH gone AS (
                   DELETE FROM shop_order_lines l USING unnest($1::text[], $2::text[]) AS k(shop_id, shop_order_id)
                   WHERE l.shop_id = k.shop_id AND l.shop_order_id = k.shop_order_id
                   RETURNING 1
               )
               INSERT INTO shop_order_lines (shop_id, shop_order_id, line_id, sku, quantity)
               SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
               WHERE (SELECT count(*) FROM gone) >= 0  -- the old lines go first: the same line ids come back""",
            [o.shop_id for o in orders],
            [o.shop_order_id for o in orders],
            [o.shop_id for o, _ in lines],
            [o.shop_order_id for o, _ in lines],
            [line.line_id for _, line in lines],
            [line.sku for _, line in lines],
            [line.quantity for _, line in lines],
        )

    async def get(self, conn: asyncpg.Connection, shop_id: str, shop_order_id: str) -> OrderLink | None:
        record = await conn.fetchrow(
            "SELECT * FROM shop_orders WHERE shop_id = $1 AND shop_order_id = $2", shop_id, shop_order_id
        )
        return None if record is None else OrderLink.from_record(record)

    async def set_state(
        self, conn: asyncpg.Connection, link: OrderLink, state: str, reason: str | None = None
    ) -> None:
        await self.set_states(conn, [(link, state, reason)])

    async def set_states(
        self, conn: asyncpg.Connection, changes: Sequence[tuple[OrderLink, str, str | None]]
    ) -> None:
        """Each (link, state, reason), in one statement."""
        if not changes:
            return
        await conn.execute(
            """UPDATE shop_orders o SET state = c.state, reason = c.reason
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS c(shop_id, shop_order_id, state, reason)
               WHERE o.shop_id = c.shop_id AND o.shop_order_id = c.shop_order_id""",
            [link.shop_id for link, _, _ in changes],
            [link.shop_order_id for link, _, _ in changes],
            [state for _, state, _ in changes],
            [reason for _, _, reason in changes],
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
