"""What the initial sync persists: the run with its page cursor, and a mark per shop variant.

Marks are written per page: ``creating`` before the page's Rackbeat creates, the outcomes after them,
then the cursor. A run killed at any point resumes at its first unfinished page and repeats nothing a
mark records; what it repeats of that page is safe to repeat (Rackbeat refuses a second product with
the same number, and stock adjustments carry an idempotency reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from daemon.db.database import Database

SKIPPED_SHOWN = 200  # skipped variants listed by name in a report; the rest are counted
PRODUCT, STOCK = "product", "stock"
PARTS = (PRODUCT, STOCK)
_RECORD_PRODUCT = """
INSERT INTO initial_sync_items (shop_id, variant_id, sku, product_outcome, product_run, reason)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (shop_id, variant_id) DO UPDATE
SET sku = $3, product_outcome = $4, product_run = $5, reason = $6, updated_at = now()
"""
_RECORD_STOCK = """
INSERT INTO initial_sync_items (shop_id, variant_id, sku, stock_outcome, stock_run, reason)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (shop_id, variant_id) DO UPDATE
SET stock_outcome = $4, stock_run = $5, reason = coalesce($6, initial_sync_items.reason), updated_at = now()
"""


@dataclass(frozen=True)
class Run:
    id: int
    cursor: str | None
    pages_done: int
    resumed: bool


@dataclass(frozen=True)
class Mark:
    sku: str
    product_outcome: str | None
    stock_outcome: str | None


@dataclass(frozen=True)
class Record:
    part: str  # product | stock
    variant_id: str
    sku: str
    outcome: str
    reason: str | None = None


@dataclass
class Report:
    products: dict[str, int] = field(default_factory=dict)  # created / linked / skipped
    stock: dict[str, int] = field(default_factory=dict)  # adjusted / unchanged / skipped
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (sku, variant id, reason)


class InitialSyncStore:
    def __init__(self, database: Database, shop_id: str) -> None:
        self._pool = database.pool
        self.shop_id = shop_id

    async def open_run(self, *, products: bool, stock: bool) -> Run:
        """The shop's unfinished run (resumed with today's options), or a new one."""
        row = await self._pool.fetchrow(
            """UPDATE initial_sync_runs SET products = $2, stock = $3
               WHERE shop_id = $1 AND finished_at IS NULL RETURNING id, page_cursor, pages_done""",
            self.shop_id,
            products,
            stock,
        )
        if row is not None:
            return Run(row["id"], row["page_cursor"], row["pages_done"], resumed=True)
        run_id = await self._pool.fetchval(
            "INSERT INTO initial_sync_runs (shop_id, products, stock) VALUES ($1, $2, $3) RETURNING id",
            self.shop_id,
            products,
            stock,
        )
        return Run(run_id, None, 0, resumed=False)

    async def page_done(self, run_id: int, next_cursor: str | None) -> None:
        await self._pool.execute(
            "UPDATE initial_sync_runs SET page_cursor = $2, pages_done = pages_done + 1 WHERE id = $1",
            run_id,
            next_cursor,
        )

    async def finish(self, run_id: int) -> None:
        await self._pool.execute("UPDATE initial_sync_runs SET finished_at = now() WHERE id = $1", run_id)

    async def page_state(self, variant_ids: list[str], skus: list[str]) -> tuple[dict[str, Mark], dict[str, str]]:
        """The page's marks by variant id, and which variant holds each of its SKUs (SKUs are not
        unique in Shopify: the first variant imported under a SKU holds it, later ones are skipped)."""
        rows = await self._pool.fetch(
            """SELECT variant_id, sku, product_outcome, stock_outcome FROM initial_sync_items
               WHERE shop_id = $1 AND (variant_id = ANY($2::text[]) OR sku = ANY($3::text[]))""",
            self.shop_id,
            variant_ids,
            skus,
        )
        wanted = set(variant_ids)
        marks = {
            r["variant_id"]: Mark(r["sku"], r["product_outcome"], r["stock_outcome"])
            for r in rows
            if r["variant_id"] in wanted
        }
        holders = {
            r["sku"]: r["variant_id"] for r in rows if r["product_outcome"] not in (None, "skipped")
        }
        return marks, holders

    async def mark_creating(self, run_id: int, variants: list[tuple[str, str]]) -> None:
        """Before the page's creates: a product found existing later was then created by this run."""
        await self._pool.execute(
            """INSERT INTO initial_sync_items (shop_id, variant_id, sku, product_outcome, product_run)
               SELECT $1, v, s, 'creating', $4 FROM unnest($2::text[], $3::text[]) AS u(v, s)
               ON CONFLICT (shop_id, variant_id) DO UPDATE
               SET sku = excluded.sku, product_outcome = 'creating', product_run = $4, updated_at = now()""",
            self.shop_id,
            [variant_id for variant_id, _ in variants],
            [sku for _, sku in variants],
            run_id,
        )

    async def record(self, run_id: int, records: list[Record]) -> None:
        """The page's outcomes, in one transaction."""
        rows = {
            part: [(self.shop_id, r.variant_id, r.sku, r.outcome, run_id, r.reason) for r in records if r.part == part]
            for part in PARTS
        }
        async with self._pool.acquire() as conn, conn.transaction():
            for part, statement in ((PRODUCT, _RECORD_PRODUCT), (STOCK, _RECORD_STOCK)):
                if rows[part]:
                    await conn.executemany(statement, rows[part])

    async def report(self, run_id: int) -> Report:
        report = Report()
        async with self._pool.acquire() as conn:
            report.products = await _counts(conn, "product", self.shop_id, run_id)
            report.stock = await _counts(conn, "stock", self.shop_id, run_id)
            rows = await conn.fetch(
                """SELECT sku, variant_id, reason FROM initial_sync_items
                   WHERE shop_id = $1 AND reason IS NOT NULL AND (product_run = $2 OR stock_run = $2)
                   ORDER BY sku, variant_id LIMIT $3""",
                self.shop_id,
                run_id,
                SKIPPED_SHOWN,
            )
        report.skipped = [(r["sku"], r["variant_id"], r["reason"]) for r in rows]
        return report


async def _counts(conn: asyncpg.Connection, part: str, shop_id: str, run_id: int) -> dict[str, int]:
    rows = await conn.fetch(
        f"""SELECT {part}_outcome AS outcome, count(*) AS n FROM initial_sync_items
            WHERE shop_id = $1 AND {part}_run = $2 AND {part}_outcome IS NOT NULL GROUP BY 1""",
        shop_id,
        run_id,
    )
    return {r["outcome"]: r["n"] for r in rows}
