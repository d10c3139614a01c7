"""The ``stock.push`` job for one shop: drain its dirty set, compute, push what changed, remember it.

A burst of marks (a stock count in Rackbeat: thousands of webhooks) is drained in full rounds: while
marks are still arriving, the job waits until they settle, up to ``max_wait_s`` after the oldest one,
so one Rackbeat listing and full API batches serve the whole burst.

Per round: take the dirty marks, read the reservations, *then* read Rackbeat (so a race can only
under-show: an order moving into Rackbeat in between is subtracted twice, never not at all), compute,
drop values equal to the last pushed, push in full batches, then record the values and clear exactly
the marks served. Marks that arrived meanwhile stay, and the loop takes them in the next round.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Mapping, Sequence

from daemon.db.commits import unflushed_transaction
from daemon.db.database import Database
from daemon.db.locks import STOCK_LOCKS, try_session_lock
from daemon.logs.setup import get_logger
from daemon.queue.model import Job
from daemon.sync.stock.formula import targets, to_push
from daemon.sync.stock.levels import Dirty, StockLevels
from daemon.sync.stock.links import StockLinks
from daemon.sync.stock.rackbeat_stock import RackbeatStock
from daemon.sync.stock.reservations import Reservations
from daemon.sync.stock.shop_targets import PushItem, ShopTarget

log = get_logger()
DRAIN_LIMIT = 10_000  # marks per round: one Rackbeat listing serves them all
PUSH_CONCURRENCY = 4  # calls in flight per shop; the shop's rate limiter paces them


@dataclass(frozen=True)
class StockShop:
    id: str
    location: int | None  # Rackbeat location counted for this shop; None = all
    target: ShopTarget


class StockPusher:
    def __init__(
        self,
        database: Database,
        levels: StockLevels,
        links: StockLinks,
        reservations: Reservations,
        rackbeat: RackbeatStock,
        shops: Mapping[str, StockShop],
        *,
        settle_s: float = 0.0,
        max_wait_s: float = 0.0,
    ) -> None:
        """``settle_s``: how long no new mark must arrive before a partial round starts; ``max_wait_s``:
        how old the oldest mark may get before the round starts anyway."""
        self._settle_s = settle_s
        self._max_wait_s = max_wait_s
        self._database = database
        self._levels = levels
        self._links = links
        self._reservations = reservations
        self._rackbeat = rackbeat
        self._shops = shops

    async def handle(self, job: Job) -> None:
        shop = self._shops.get(job.payload["shop"])
        if shop is None:
            log.info("stock.push_skipped", shop=job.payload["shop"], reason="stock sync is off for this shop")
            return
        # Two pushes of one shop at once could land an older value after a newer one, so one drains
        # and any other job just ends: the drainer looks at the dirty set again after letting go of the
        # lock, which is after the other job's marks were committed, and goes on if anything is left.
        while True:
            async with try_session_lock(self._database.pool, STOCK_LOCKS, shop.id) as held:
                if not held:
                    return
                while dirty := await self._settled(shop):
                    await self._round(shop, dirty)
            async with self._database.pool.acquire() as conn:
                if not await self._levels.pending(conn, shop.id):
                    return

    async def _settled(self, shop: StockShop) -> list[Dirty]:
        """The next round's marks, once the burst they belong to has settled (or a round is full)."""
        while True:
            async with self._database.pool.acquire() as conn:
                dirty = await self._levels.take(conn, shop.id, DRAIN_LIMIT)
            if not dirty or len(dirty) >= DRAIN_LIMIT:
                return dirty
            quiet_s = min(d.age_s for d in dirty)
            waited_s = max(d.age_s for d in dirty)
            if quiet_s >= self._settle_s or waited_s >= self._max_wait_s:
                return dirty
            await asyncio.sleep(min(self._settle_s - quiet_s, self._max_wait_s - waited_s))

    async def _round(self, shop: StockShop, dirty: Sequence[Dirty]) -> None:
        skus = [d.sku for d in dirty]
        reserved = await self._reservations.by_sku(skus)  # before Rackbeat, see the module docstring
        async with self._database.pool.acquire() as conn:
            links = await self._links.for_skus(conn, shop.id, skus)
            last = await self._levels.last_pushed(conn, shop.id, skus)
        linked = [sku for sku in skus if len(links.get(sku, ())) == 1]  # duplicates are never pushed
        available = await self._rackbeat.available(linked, shop.location)
        changed = to_push(targets(available, reserved), last, forced=[d.sku for d in dirty if d.force])
        by_sku = {d.sku: d for d in dirty}
        async with self._database.pool.acquire() as conn:
            await self._levels.clear(conn, shop.id, [d for d in dirty if d.sku not in changed])
        items = [PushItem(links[sku][0], qty, by_sku[sku].mark) for sku, qty in changed.items()]
        gate = asyncio.Semaphore(PUSH_CONCURRENCY)

        async def push(batch: Sequence[PushItem]) -> None:
            async with gate:
                await self._push(shop, batch, by_sku)

        outcomes = await asyncio.gather(*(push(b) for b in shop.target.batches(items)), return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:  # the pushed batches are recorded; the rest stays dirty for the retry
            raise failures[0]

    async def _push(self, shop: StockShop, batch: Sequence[PushItem], by_sku: Mapping[str, Dirty]) -> None:
        started = time.monotonic()
        refused = {r.sku: r.reason for r in await shop.target.push(batch)}
        ms = round((time.monotonic() - started) * 1000)
        for sku, reason in refused.items():
            log.warning("stock.push_refused", shop=shop.id, sku=sku, reason=reason)
        pushed = {item.link.sku: item.quantity for item in batch if item.link.sku not in refused}
        # Flushed by the job's own outcome; lost in a crash it only means the same push once more.
        async with self._database.pool.acquire() as conn, unflushed_transaction(conn):
            await self._levels.record(conn, shop.id, pushed)
            await self._levels.clear(conn, shop.id, [by_sku[item.link.sku] for item in batch])
        log.info("stock.pushed", shop=shop.id, count=len(pushed), ms=ms)
