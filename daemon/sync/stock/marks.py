"""What makes a (shop, SKU) dirty and schedules its push: the one entry point every trigger uses.

The mark and the coalesced ``stock.push`` job (dedupe key ``stock:{shop}``) are written in the caller's
transaction, so a trigger is never lost between the two; many marks while a push is pending cost nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import asyncpg

from daemon.db.batching import BatchWriter
from daemon.db.commits import unflushed_transaction
from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.queue.store import JobQueue, KeyedJob
from daemon.sync.model import Order
from daemon.sync.stock.levels import StockLevels

PUSH_KIND = "stock.push"


@dataclass(frozen=True)
class _Marking:
    skus: tuple[str, ...]
    shop_ids: tuple[str, ...] | None
    force: bool


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
        # concurrent mark_now calls (one per transfer, 16 at once) share a transaction
        self._batches: BatchWriter[_Marking, None] = BatchWriter(
            self._mark_batch, max_batch=64, max_in_flight=2, isolate=lambda exc: not isinstance(exc, CONNECTION_ERRORS)
        )

    async def mark(
        self,
        conn: asyncpg.Connection,
        skus: Iterable[str],
        *,
        shop_ids: Sequence[str] | None = None,
        force: bool = False,
    ) -> None:
        await self._mark_all(conn, [_Marking(tuple(skus), None if shop_ids is None else tuple(shop_ids), force)])

    async def mark_now(self, skus: Iterable[str], *, shop_ids: Sequence[str] | None = None, force: bool = False) -> None:
        """In a transaction of its own (shared with the marks asked for meanwhile), committed without
        waiting for the disk: every caller (an inbox or transfer job) commits its own outcome
        synchronously afterwards, which flushes this too, and until then a crash only means the
        caller runs again and marks again."""
        skus = tuple(skus)
        if not skus:  # nothing to mark: no transaction either
            return
        await self._batches.submit(_Marking(skus, None if shop_ids is None else tuple(shop_ids), force))

    async def _mark_batch(self, markings: list[_Marking]) -> list[None]:
        async with self._database.pool.acquire() as conn, unflushed_transaction(conn):
            await self._mark_all(conn, markings)
        return [None] * len(markings)

    async def _mark_all(self, conn: asyncpg.Connection, markings: Sequence[_Marking]) -> None:
        """The marks, grouped by shops and force, then one push job per shop concerned, all queued in one
        statement: concurrent markers take the jobs' keys in the same order and never deadlock."""
        together: dict[tuple[tuple[str, ...], bool], set[str]] = defaultdict(set)
        for marking in markings:
            shops = self._shop_ids if marking.shop_ids is None else [s for s in marking.shop_ids if s in self._shop_ids]
            skus = {sku for sku in marking.skus if sku}
            if shops and skus:
                together[(tuple(shops), marking.force)] |= skus
        for (shops, force), skus in together.items():
            await self._levels.mark(conn, shops, skus, force=force)
        pushed = sorted({shop for shops, _ in together for shop in shops})
        pushes = [KeyedJob(push_job_key(shop_id), shop_id, {"shop": shop_id}) for shop_id in pushed]
        await self._queue.enqueue_keyed(conn, PUSH_KIND, pushes, delay_s=self._debounce_s)

    async def orders_seen(self, conn: asyncpg.Connection, orders: Sequence[Order]) -> None:
        """Hook for the order intake (in its transaction): new or changed orders move reservations."""
        await self.mark(conn, (line.sku for order in orders for line in order.lines if line.sku))

    async def order_transferred(self, order: Order, rackbeat_number: int) -> None:
        """Hook for ``OrderTransfer(on_transferred=...)``: the reservation is now Rackbeat's."""
        await self.mark_now(line.sku for line in order.lines if line.sku)
