"""What makes a (shop, SKU) dirty and schedules its push: the one entry point every trigger uses.

The mark and the coalesced ``stock.push`` job (dedupe key ``stock:{shop}``) are written in the caller's
transaction, so a trigger is never lost between the two; many marks while a push is pending cost nothing.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import asyncpg

from daemon.db.commits import unflushed_transaction
from daemon.db.database import Database
from daemon.queue.store import JobQueue, KeyedJob
from daemon.sync.model import Order
from daemon.sync.stock.levels import StockLevels

PUSH_KIND = "stock.push"


def push_job_key(shop_id: str) -> str:
    return f"stock:{shop_id}"


class StockMarks:
    def __init__(
        self,
        database: Database,
        queue: JobQueue,
        levels: StockLevels,
        shop_ids: Sequence[str],
        *,
        debounce_s: float = 0.0,
    ) -> None:
        """``shop_ids``: the shops with stock sync on. ``debounce_s`` delays a new push job so a burst of
        changes is drained in full batches; later marks join the pending job without moving it."""
        self._database = database
        self._queue = queue
        self._levels = levels
        self._shop_ids = list(shop_ids)
        self._debounce_s = debounce_s

    async def mark(
        self,
        conn: asyncpg.Connection,
        skus: Iterable[str],
        *,
        shop_ids: Sequence[str] | None = None,
        force: bool = False,
    ) -> None:
        shops = self._shop_ids if shop_ids is None else [s for s in shop_ids if s in self._shop_ids]
        wanted = [sku for sku in set(skus) if sku]
        if not shops or not wanted:
            return
        await self._levels.mark(conn, shops, wanted, force=force)
        pushes = [KeyedJob(push_job_key(shop_id), shop_id, {"shop": shop_id}) for shop_id in shops]
        await self._queue.enqueue_keyed(conn, PUSH_KIND, pushes, delay_s=self._debounce_s)

    async def mark_now(self, skus: Iterable[str], *, shop_ids: Sequence[str] | None = None, force: bool = False) -> None:
        """In a transaction of its own, committed without waiting for the disk: every caller (an inbox or
        transfer job) commits its own outcome synchronously afterwards, which flushes this too, and
        until then a crash only means the caller runs again and marks again."""
        skus = list(skus)
        if not skus:  # nothing to mark: no transaction either
            return
        async with self._database.pool.acquire() as conn, unflushed_transaction(conn):
            await self.mark(conn, skus, shop_ids=shop_ids, force=force)

    async def orders_seen(self, conn: asyncpg.Connection, orders: Sequence[Order]) -> None:
        """Hook for the order intake (in its transaction): new or changed orders move reservations."""
        await self.mark(conn, (line.sku for order in orders for line in order.lines if line.sku))

    async def order_transferred(self, order: Order, rackbeat_number: int) -> None:
        """Hook for ``OrderTransfer(on_transferred=...)``: the reservation is now Rackbeat's."""
        await self.mark_now(line.sku for line in order.lines if line.sku)
