"""Rackbeat's available quantity for a set of SKUs, read live (always *after* the reservations were read).

Two ways to read: one product at a time (``/products/{n}`` or ``/products/{n}/locations``), or the whole
catalogue listed 1000 per page with only ``number,available_quantity``. The listing wins as soon as more
SKUs are wanted than it has pages, and concurrent push jobs (one per shop) share a listing, but only one
that *started* after they asked: a listing already under way may predate their reservation read. A
listing waits ``gather_s`` before it starts, so the other shops' rounds of the same burst can join it.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any, Mapping, Sequence

from daemon.connectors.rackbeat import RackbeatClient
from daemon.errors import NotFoundError

LISTING_FIELDS = "number,available_quantity"
PER_PRODUCT_CONCURRENCY = 8


def quantity(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def location_available(entries: Sequence[Mapping[str, Any]], location: int) -> Decimal:
    """The location's entry of ``/products/{n}/locations``; a product never stocked there has none (0)."""
    for entry in entries:
        number = entry.get("location_id", (entry.get("location") or {}).get("number"))
        if number is not None and int(number) == location:
            return quantity(entry.get("available_quantity"))
    return Decimal(0)


class RackbeatStock:
    def __init__(self, rackbeat: RackbeatClient, *, gather_s: float = 0.0) -> None:
        self._rackbeat = rackbeat
        self._gather_s = gather_s
        self._listing_lock = asyncio.Lock()
        self._listings_started = 0
        self._last_listing: tuple[int, dict[str, Decimal]] | None = None
        self._catalog_pages = 1  # learnt from each listing

    async def available(self, skus: Sequence[str], location: int | None) -> dict[str, Decimal]:
        """Available per SKU Rackbeat knows; unknown SKUs are left out."""
        if location is None and len(skus) > self._catalog_pages:
            catalog = await self.catalog()
            return {sku: catalog[sku] for sku in skus if sku in catalog}
        gate = asyncio.Semaphore(PER_PRODUCT_CONCURRENCY)

        async def one(sku: str) -> tuple[str, Decimal | None]:
            async with gate:
                return sku, await self._one(sku, location)

        found = await asyncio.gather(*(one(sku) for sku in skus))
        return {sku: qty for sku, qty in found if qty is not None}

    async def catalog(self) -> dict[str, Decimal]:
        """Every product's available quantity (all locations), from a listing started after this call."""
        ticket = self._listings_started
        async with self._listing_lock:
            if self._last_listing is not None and self._last_listing[0] > ticket:
                return self._last_listing[1]
            await asyncio.sleep(self._gather_s)  # whoever asks meanwhile waits for the lock, then reuses this
            self._listings_started += 1
            number = self._listings_started
            catalog: dict[str, Decimal] = {}
            pages = 0
            async for page in self._rackbeat.iter_pages("/products", params={"fields": LISTING_FIELDS}):
                pages += 1
                catalog.update((str(p["number"]), quantity(p.get("available_quantity"))) for p in page)
            self._catalog_pages = max(1, pages)
            self._last_listing = (number, catalog)
            return catalog

    async def _one(self, sku: str, location: int | None) -> Decimal | None:
        if location is None:
            product = await self._rackbeat.get_product(sku)
            return None if product is None else quantity(product.get("available_quantity"))
        try:
            entries = await self._rackbeat.product_locations(sku)
        except NotFoundError:
            return None
        return location_available(entries, location)
