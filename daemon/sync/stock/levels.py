"""Tables ``stock_dirty`` (what must be pushed) and ``stock_levels`` (what was last pushed), per (shop, SKU).

Marking is an upsert, so one SKU changed a hundred times is one dirty row. Every mark draws a new
``mark`` number; a push clears only the marks it read, so a change that lands while its push is in
flight stays dirty and is pushed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import asyncpg


@dataclass(frozen=True)
class Dirty:
    sku: str
    mark: int
    force: bool
    age_s: float  # since it was last marked


class StockLevels:
    async def mark(
        self, conn: asyncpg.Connection, shop_ids: Sequence[str], skus: Iterable[str], *, force: bool = False
    ) -> None:
        # Sorted and unique: one statement may not touch a row twice, and a fixed order avoids deadlocks.
        await conn.execute(
            """INSERT INTO stock_dirty (shop_id, sku, force)
               SELECT shop_id, sku, $3 FROM unnest($1::text[]) AS shop_id CROSS JOIN unnest($2::text[]) AS sku
               ORDER BY shop_id, sku
               ON CONFLICT (shop_id, sku) DO UPDATE
                  SET mark = nextval('stock_dirty_marks'), force = stock_dirty.force OR EXCLUDED.force,
                      marked_at = clock_timestamp()""",
            sorted(set(shop_ids)),
            sorted(set(skus)),
            force,
        )

    async def take(self, conn: asyncpg.Connection, shop_id: str, limit: int) -> list[Dirty]:
        """The oldest marks first, without removing them (``clear`` does, once pushed)."""
        rows = await conn.fetch(
            """SELECT sku, mark, force, extract(epoch FROM clock_timestamp() - marked_at)::float8 AS age_s
               FROM stock_dirty WHERE shop_id = $1 ORDER BY mark LIMIT $2""",
            shop_id,
            limit,
        )
        return [Dirty(row["sku"], row["mark"], row["force"], row["age_s"]) for row in rows]

    async def clear(self, conn: asyncpg.Connection, shop_id: str, dirty: Sequence[Dirty]) -> None:
        await conn.execute(
            """DELETE FROM stock_dirty d USING unnest($2::text[], $3::bigint[]) AS done(sku, mark)
               WHERE d.shop_id = $1 AND d.sku = done.sku AND d.mark = done.mark""",
            shop_id,
            [d.sku for d in dirty],
            [d.mark for d in dirty],
        )

    async def pending(self, conn: asyncpg.Connection, shop_id: str) -> int:
        return await conn.fetchval("SELECT count(*) FROM stock_dirty WHERE shop_id = $1", shop_id)

    async def last_pushed(self, conn: asyncpg.Connection, shop_id: str, skus: Sequence[str]) -> dict[str, int]:
        rows = await conn.fetch(
            "SELECT sku, quantity FROM stock_levels WHERE shop_id = $1 AND sku = ANY($2::text[])", shop_id, list(skus)
        )
        return {row["sku"]: row["quantity"] for row in rows}

    async def record(self, conn: asyncpg.Connection, shop_id: str, pushed: Mapping[str, int]) -> None:
        await conn.execute(
            """INSERT INTO stock_levels (shop_id, sku, quantity)
               SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS p(sku, quantity)
               ON CONFLICT (shop_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, pushed_at = now()""",
            shop_id,
            list(pushed),
            list(pushed.values()),
        )
