"""The full reconcile of one shop: relink from the shop, then push every linked SKU whatever was pushed before.

Forced, because what it repairs is exactly what the last-pushed values cannot see: a level changed in
the shop's admin, a missed webhook, a push lost with its answer. Scheduled per shop by a clock stream
(every ``stock.reconcile_interval_s``, and at start-up) and by ``rackbeat-sync reconcile-stock``.
"""

from __future__ import annotations

import datetime as dt
from typing import AsyncIterator, Mapping

from daemon.logs.setup import get_logger
from daemon.pollers.stream import PolledItem
from daemon.queue.model import Job
from daemon.queue.store import JobQueue
from daemon.sync.stock.linker import Linker
from daemon.sync.stock.marks import StockMarks
from daemon.sync.stock.shop_catalogs import ShopClient
from daemon.webhooks.dispatch import InboxItem

log = get_logger()
RECONCILE_KIND = "stock.reconcile"
RECONCILE_DUE = "stock.reconcile_due"  # polled topic of the clock stream


async def enqueue_reconcile(queue: JobQueue, shop_id: str) -> int | None:
    return await queue.enqueue(
        RECONCILE_KIND, {"shop": shop_id}, connection=shop_id, dedupe_key=f"stock-reconcile:{shop_id}"
    )


class StockReconcile:
    def __init__(self, linker: Linker, marks: StockMarks, clients: Mapping[str, ShopClient]) -> None:
        self._linker = linker
        self._marks = marks
        self._clients = clients

    async def handle(self, job: Job) -> None:
        shop_id = job.payload["shop"]
        client = self._clients.get(shop_id)
        if client is None:
            log.info("stock.reconcile_skipped", shop=shop_id, reason="stock sync is off for this shop")
            return
        report = await self._linker.link_shop(shop_id, client)
        await self._marks.mark_now(report.pushable, shop_ids=[shop_id], force=True)
        log.info("stock.reconcile_queued", shop=shop_id, skus=len(report.pushable))


class ReconcileClock:
    """A poll stream whose only "change" is that a reconcile is due: the poller's shared schedule then
    runs it once per interval across all daemon processes, and at the first start."""

    def __init__(self, shop_id: str, interval_s: float) -> None:
        self.name = "stock_reconcile"
        self.connection = shop_id
        self.interval_s = interval_s

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        yield PolledItem(RECONCILE_DUE, self.connection, until, {"shop": self.connection})


class ReconcileDue:
    """Inbox handler for the clock stream's item."""

    def __init__(self, queue: JobQueue) -> None:
        self._queue = queue

    async def handle(self, item: InboxItem) -> None:
        await enqueue_reconcile(self._queue, item.payload["shop"])
