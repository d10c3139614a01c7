"""Builds and refreshes a shop's SKU map, and reports what cannot be pushed: one log line per problem.

``stock.link.duplicate_sku``: a SKU held by several items of one shop (never pushed: guessing could
oversell the other item). ``stock.link.unknown_sku``: a shop SKU Rackbeat has no product for. Then one
``sync.report`` summary per linking run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Sequence

from daemon.db.database import Database
from daemon.logs.setup import get_logger
from daemon.sync.stock.links import Link, StockLinks, duplicates
from daemon.sync.stock.rackbeat_stock import RackbeatStock
from daemon.sync.stock.shop_catalogs import ShopClient, shop_links

log = get_logger()


@dataclass(frozen=True)
class LinkReport:
    shop_id: str
    items: int
    skus: int
    pushable: list[str]  # SKUs with exactly one item in the shop and a product in Rackbeat
    duplicate: list[str]
    unknown: list[str]


def link_report(shop_id: str, links: Sequence[Link], rackbeat_skus: Collection[str]) -> LinkReport:
    """Pure: classify the shop's SKUs."""
    duplicated = set(duplicates(links))
    skus = sorted({link.sku for link in links})
    unknown = [sku for sku in skus if sku not in rackbeat_skus]
    pushable = [sku for sku in skus if sku not in duplicated and sku in rackbeat_skus]
    return LinkReport(shop_id, len(links), len(skus), pushable, sorted(duplicated), unknown)


class Linker:
    def __init__(self, database: Database, links: StockLinks, rackbeat: RackbeatStock) -> None:
        self._database = database
        self._links = links
        self._rackbeat = rackbeat

    async def link_shop(self, shop_id: str, client: ShopClient) -> LinkReport:
        """Page through the shop and replace its map."""
        found = [link async for link in shop_links(client)]
        async with self._database.pool.acquire() as conn:
            await self._links.replace_shop(conn, shop_id, found)
        report = link_report(shop_id, found, set(await self._rackbeat.catalog()))
        for sku in report.duplicate:
            log.warning("stock.link.duplicate_sku", shop=shop_id, sku=sku)
        for sku in report.unknown:
            log.warning("stock.link.unknown_sku", shop=shop_id, sku=sku)
        log.info(
            "sync.report",
            flow="stock.link",
            shop=shop_id,
            items=report.items,
            skus=report.skus,
            pushable=len(report.pushable),
            duplicate_skus=len(report.duplicate),
            unknown_skus=len(report.unknown),
        )
        return report

    async def link_products(self, shop_id: str, product_ids: Iterable[str], links: Sequence[Link]) -> list[str]:
        """One product changed (webhook): replace its items; returns its SKUs, reporting new duplicates."""
        skus = sorted({link.sku for link in links})
        async with self._database.pool.acquire() as conn:
            await self._links.replace_products(conn, shop_id, product_ids, links)
            held = await self._links.for_skus(conn, shop_id, skus)
        for sku in skus:
            if len(held.get(sku, ())) > 1:
                log.warning("stock.link.duplicate_sku", shop=shop_id, sku=sku)
        return skus
