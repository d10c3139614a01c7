"""Stock at the mapped Rackbeat location versus physical stock in the warehouse, SKU by SKU.

Run it before switching on the adjustment flow (which moves Rackbeat by Ongoing's deltas and so
keeps any difference that was there at the start) and whenever the two are suspected to drift.
Units picked in Ongoing but not yet shipped in Rackbeat show as a difference until they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from daemon.connectors.ongoing import OngoingClient
from daemon.connectors.rackbeat import RackbeatClient
from daemon.sync.ongoing.mapping import dec, line_location


@dataclass(frozen=True)
class StockDifference:
    sku: str
    rackbeat: Decimal
    ongoing: Decimal

    @property
    def delta(self) -> Decimal:
        """What Ongoing has more (positive) or less (negative) than Rackbeat."""
        return self.ongoing - self.rackbeat


def differences(rackbeat: Mapping[str, Decimal], ongoing: Mapping[str, Decimal]) -> list[StockDifference]:
    """Every SKU on either side whose quantities differ (missing counts as 0), by SKU."""
    zero = Decimal(0)
    return [
        StockDifference(sku, rackbeat.get(sku, zero), ongoing.get(sku, zero))
        for sku in sorted(rackbeat.keys() | ongoing.keys())
        if rackbeat.get(sku, zero) != ongoing.get(sku, zero)
    ]


async def ongoing_stock(client: OngoingClient) -> dict[str, Decimal]:
    return {
        str(article["articleNumber"]): dec((article.get("inventoryInfo") or {}).get("numberOfItems"))
        async for page in client.articles()
        for article in page
    }


async def rackbeat_stock(rackbeat: RackbeatClient, location: int) -> dict[str, Decimal]:
    """Stock of every stocked product at ``location`` (one request per product: an operator command)."""
    stock = {}
    async for page in rackbeat.iter_pages("products"):
        for product in page:
            if product.get("inventory_enabled") is False:
                continue
            entries = await rackbeat.product_locations(str(product["number"]))
            here = [entry for entry in entries if line_location(entry) == location]
            stock[str(product["number"])] = sum((dec(entry.get("stock_quantity")) for entry in here), Decimal(0))
    return stock


async def stock_compare(rackbeat: RackbeatClient, client: OngoingClient, location: int) -> list[StockDifference]:
    return differences(await rackbeat_stock(rackbeat, location), await ongoing_stock(client))
