"""The initial sync: one shop's catalogue into Rackbeat, once, one way (shop → Rackbeat).

Pages are streamed. For each page: the marks are read, ``creating`` is marked for the variants about
to be created, the variants are imported concurrently (bounded), parked orders are released for the
products that now exist, the outcomes are recorded, and the page cursor is saved. A retryable
failure (network, Rackbeat down) ends the run early, to be resumed by running the command again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Sequence

import structlog

from daemon.sync.products.catalog_pages import Catalog
from daemon.sync.products.importers import CREATED, LINKED, Importer
from daemon.sync.products.model import ShopVariant, sku_problem
from daemon.sync.products.progress import Progress, Tally
from daemon.sync.products.stock_import import SKIPPED
from daemon.sync.products.sync_store import (
    PRODUCT,
    SKIPPED_SHOWN,
    STOCK,
    InitialSyncStore,
    Mark,
    Record,
    Report,
    Run,
)

log = structlog.get_logger()
DONE = (CREATED, LINKED, SKIPPED)


@dataclass(frozen=True)
class Parts:
    products: bool
    stock: bool


class InitialSync:
    def __init__(
        self,
        shop_id: str,
        catalog: Catalog,
        importer: Importer,
        store: InitialSyncStore | None,  # None: a dry run, which records nothing
        progress: Progress,
        parts: Parts,
        *,
        concurrency: int,
    ) -> None:
        self._shop_id = shop_id
        self._catalog = catalog
        self._importer = importer
        self._store = store
        self._progress = progress
        self._parts = parts
        self._limit = asyncio.Semaphore(concurrency)
        self.tally = Tally()

    async def run(self, run: Run | None = None) -> Report:
        """``run`` (from the store) resumes where it stopped; a dry run passes None."""
        if run is not None and run.resumed:
            log.info("initial_sync.resumed", shop=self._shop_id, pages_done=run.pages_done)
        pages_done = run.pages_done if run else 0
        try:
            async for page in self._catalog.pages(run.cursor if run else None):
                await self._page(run, page.variants)
                if run is not None and self._store is not None:
                    await self._store.page_done(run.id, page.next_cursor)
                pages_done += 1
                self._progress.page(self.tally, pages_done, page.total_pages)
        finally:
            self._progress.close()
        if run is None or self._store is None:
            report = Report(dict(self.tally.products), dict(self.tally.stock), self.tally.skipped)
        else:
            await self._store.finish(run.id)
            report = await self._store.report(run.id)
        log.info(
            "sync.report", kind="initial_sync", shop=self._shop_id, dry_run=run is None,
            products=report.products, stock=report.stock,
        )
        return report

    async def _page(self, run: Run | None, variants: Sequence[ShopVariant]) -> None:
        marks, holders = ({}, {})
        if self._store is not None:
            marks, holders = await self._store.page_state([v.variant_id for v in variants], [v.sku for v in variants])
        records: list[Record] = []
        todo: list[tuple[ShopVariant, Mark | None]] = []
        first_of_sku: dict[str, str] = {}
        for variant in variants:
            reason = sku_problem(variant.sku) or _duplicate(variant, first_of_sku, holders)
            if reason is not None:
                records.append(Record(PRODUCT, variant.variant_id, variant.sku, SKIPPED, reason))
            else:
                todo.append((variant, marks.get(variant.variant_id)))
        if run is not None and self._store is not None and self._parts.products:
            creating = [(v.variant_id, v.sku) for v, mark in todo if not (mark and mark.product_outcome in DONE)]
            if creating:
                await self._store.mark_creating(run.id, creating)
        for outcome in await asyncio.gather(*(self._variant(variant, mark) for variant, mark in todo)):
            records += outcome
        await self._importer.settle(r.sku for r in records if r.part == PRODUCT and r.outcome in (CREATED, LINKED))
        if run is not None and self._store is not None:
            await self._store.record(run.id, records)
        self._count(len(variants), records)

    async def _variant(self, variant: ShopVariant, mark: Mark | None) -> list[Record]:
        records = []
        exists = True
        async with self._limit:
            if self._parts.products:
                prior = mark.product_outcome if mark else None
                if prior in DONE:
                    exists = prior != SKIPPED
                else:
                    outcome, reason = await self._importer.product(variant, prior)
                    records.append(Record(PRODUCT, variant.variant_id, variant.sku, outcome, reason))
                    exists = outcome != SKIPPED
            if self._parts.stock and exists and not (mark and mark.stock_outcome):
                outcome, reason = await self._importer.stock(variant)
                records.append(Record(STOCK, variant.variant_id, variant.sku, outcome, reason))
        return records

    def _count(self, seen: int, records: list[Record]) -> None:
        self.tally.seen += seen
        for record in records:
            (self.tally.products if record.part == PRODUCT else self.tally.stock)[record.outcome] += 1
            if record.reason is None:
                continue
            log.info("initial_sync.skipped", shop=self._shop_id, part=record.part, sku=record.sku, reason=record.reason)
            if len(self.tally.skipped) < SKIPPED_SHOWN:
                self.tally.skipped.append((record.sku, record.variant_id, record.reason))


def _duplicate(variant: ShopVariant, first_of_sku: dict[str, str], holders: dict[str, str]) -> str | None:
    """SKUs are not unique in Shopify: the first variant under a SKU is imported, the others skipped."""
    holder = first_of_sku.setdefault(variant.sku, variant.variant_id)
    if holder == variant.variant_id:
        holder = holders.get(variant.sku, variant.variant_id)
    return None if holder == variant.variant_id else f"duplicate SKU in the shop (also on variant {holder})"
