"""A shop variant's stock level into Rackbeat as one booked inventory adjustment at the shop's location.

Exactly once per (shop, SKU): the adjustment's description is an idempotency reference, looked up
before creating; one found unbooked (a run killed between create and book) is booked, not repeated.
The adjustment moves Rackbeat's stock at that location to the shop's level.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

import structlog

from daemon.connectors.rackbeat import RackbeatClient
from daemon.errors import NotFoundError
from daemon.sync.products.model import ShopVariant
from daemon.sync.products.shop_payloads import decimal_or_none

log = structlog.get_logger()
ADJUSTED, UNCHANGED, SKIPPED = "adjusted", "unchanged", "skipped"
REASON = "Initial sync"


def reference(shop_id: str, sku: str) -> str:
    return f"rbsync-initial:{shop_id}:{sku}"


class StockImport:
    def __init__(self, rackbeat: RackbeatClient, shop_id: str, location: int) -> None:
        self._rackbeat = rackbeat
        self._shop_id = shop_id
        self._location = location

    async def apply(self, variant: ShopVariant) -> tuple[str, str | None]:
        """(outcome, reason when skipped)."""
        if variant.stock is None:
            return SKIPPED, "the shop does not track this variant's stock"
        ref = reference(self._shop_id, variant.sku)
        for adjustment in await self._rackbeat.find_adjustments(ref):
            if adjustment.get("description") == ref:
                if not adjustment.get("is_booked"):
                    await self._rackbeat.book_adjustment(adjustment["id"])
                return ADJUSTED, None
        try:
            current = await self._stock_here(variant.sku)
        except NotFoundError:
            return SKIPPED, "no Rackbeat product with this number"
        delta = Decimal(variant.stock) - current
        if delta == 0:
            return UNCHANGED, None
        body = {
            "item_number": variant.sku,
            "location_number": self._location,
            "quantity": int(delta) if delta == delta.to_integral_value() else float(delta),
            "reason": REASON,
            "description": ref,
        }
        adjustment = await self._rackbeat.create_adjustment(body)
        await self._rackbeat.book_adjustment(adjustment["id"])
        log.info("stock.adjusted", shop=self._shop_id, sku=variant.sku, location=self._location, quantity=str(delta))
        return ADJUSTED, None

    async def _stock_here(self, sku: str) -> Decimal:
        for entry in await self._rackbeat.product_locations(sku):
            if _location_number(entry) == self._location:
                return decimal_or_none(entry.get("stock_quantity")) or Decimal(0)
        return Decimal(0)


def _location_number(entry: Mapping[str, Any]) -> int | None:
    number = entry.get("location_id") or (entry.get("location") or {}).get("number")
    return int(number) if number is not None else None
