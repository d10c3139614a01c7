"""Tables ``stock_dirty`` (what must be pushed) and ``stock_levels`` (what was last pushed), per (shop, SKU).

A mark is a new row (append-only, so concurrent marks of one SKU never wait for each other); a SKU
marked a hundred times is still one entry of the dirty set. A push clears only the marks it read, so a
change that lands while its push is in flight stays dirty and is pushed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import asyncpg

from daemon.db.locks import STOCK_MARK_LOCKS


@dataclass(frozen=True)
class Dirty:
    sku: str
    mark: int  # the newest mark read
    marks: tuple[int, ...]  # every mark read: cleared together once served
    force: bool
    age_s: float  # since it was last marked


class StockLevels:
    async def mark(
        self, conn: asyncpg.Connection, shop_ids: Sequence[str], skus: Iterable[str], *, force: bool = False
    ) -> None:
        """In the caller's transaction, which holds a shared marking lock until it ends (see ``pending``)."""
        await conn.execute(
            """WITH marking AS (SELECT pg_advisory_xact_lock_shared($4, 0))
               INSERT INTO stock_dirty (shop_id, sku, force)
               SELECT shop_id, sku, $3 FROM marking, unnest($1::text[]) AS shop_id CROSS JOIN unnest($2::text[]) AS sku""",
            sorted(set(shop_ids)),
            sorted(set(skus)),
            force,
            STOCK_MARK_LOCKS,
        )

    async def take(self, conn: asyncpg.Connection, shop_id: str, limit: int) -> list[Dirty]:
        """The longest-waiting SKUs first, without removing their marks (``clear`` does, once pushed)."""
        rows = await conn.fetch(
            """SELECT sku, max(mark) AS mark, array_agg(mark) AS marks, bool_or(force) AS force,
                      extract(epoch FROM clock_timestamp() - max(marked_at))::float8 AS age_s
               FROM stock_dirty WHERE shop_id = $1 GROUP BY sku ORDER BY min(mark) LIMIT $2""",
            shop_id,
            limit,
        )
        return [Dirty(row["sku"], row["mark"], tuple(row["marks"]), row["force"], row["age_s"]) for row in rows]

    async def clear(self, conn: asyncpg.Connection, shop_id: str, dirty: Sequence[Dirty]) -> None:
        await conn.execute(
            "DELETE FROM stock_dirty WHERE shop_id = $1 AND mark = ANY($2::bigint[])",
            shop_id,
            [mark for d in dirty for mark in d.marks],
        )

    async def pending(self, conn: asyncpg.Connection, shop_id: str) -> bool:
        """Whether marks wait for this shop, counting those of marking transactions still open: it waits
        until they end. Such a transaction may have found this shop's push job still pending and queued
        no other, while that job, claimed since, has already looked at the marks for the last time."""
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1, 0)", STOCK_MARK_LOCKS)
        return await conn.fetchval("SELECT EXISTS (SELECT 1 FROM stock_dirty WHERE shop_id = $1)", shop_id)

    async def last_pushed(self, conn: asyncpg.Connection, shop_id: str, skus: Sequence[str]) -> dict[str, int]:
        rows = await conn.fetch(
            "SELECT sku, quantity FROM stock_levels WHERE shop_id = $1 AND sku = ANY($2::text[])", shop_id, list(skus)
        )
        return {row["sku"]: row["quantity"] for row in rows}

    async def last_push_of_item(
        self, conn: asyncpg.Connection, shop_id: str, item_id: str, sku: str
    ) -> tuple[bool, int | None]:
        """Whether this item is linked under this SKU, and the quantity last pushed for it (None: never)."""
        row = await conn.fetchrow(
            """SELECT v.quantity FROM stock_links l LEFT JOIN stock_levels v USING (shop_id, sku)
               WHERE l.shop_id = $1 AND l.item_id = $2 AND l.sku = $3""",
            shop_id,
            item_id,
            sku,
        )
        return (False, None) if row is None else (True, row["quantity"])

    async def record(self, conn: asyncpg.Connection, shop_id: str, pushed: Mapping[str, int]) -> None:
        await conn.execute(
            """INSERT INTO stock_levels (shop_id, sku, quantity)
               SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS p(sku, quantity)
               ON CONFLICT (shop_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, pushed_at = now()""",
            shop_id,
            list(pushed),
            list(pushed.values()),
        )
