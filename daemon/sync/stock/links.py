"""Table ``stock_links``: where a SKU lives in each shop (Shopify inventory item, Woo product or variation).

Rows are keyed by the shop's own item id, so a SKU used twice in one shop is two rows: such a SKU is
reported and never pushed, because guessing which item Rackbeat's number means could oversell the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import asyncpg


@dataclass(frozen=True)
class Link:
    sku: str
    item_id: str  # Shopify InventoryItem gid | Woo product or variation id
    variant_id: str  # Shopify ProductVariant gid | Woo product or variation id
    product_id: str | None  # Shopify Product gid | Woo parent of a variation (None: a simple product)


class StockLinks:
    """Every method takes a connection (or the pool) so callers control the transaction."""

    async def replace_shop(self, conn: asyncpg.Connection, shop_id: str, links: Sequence[Link]) -> None:
        """A full relink: the shop's map becomes exactly ``links``."""
        async with conn.transaction():
            await conn.execute("DELETE FROM stock_links WHERE shop_id = $1", shop_id)
            await self._insert(conn, shop_id, links)

    async def replace_products(
        self, conn: asyncpg.Connection, shop_id: str, product_ids: Iterable[str], links: Sequence[Link]
    ) -> None:
        """One product changed (webhook): its items become exactly ``links`` (a simple Woo product is its
        own product id)."""
        ids = sorted(set(product_ids))
        async with conn.transaction():
            await conn.execute(
                """DELETE FROM stock_links WHERE shop_id = $1
                   AND (product_id = ANY($2::text[]) OR (product_id IS NULL AND item_id = ANY($2::text[])))""",
                shop_id,
                ids,
            )
            await self._insert(conn, shop_id, links)

    async def for_skus(self, conn: asyncpg.Connection, shop_id: str, skus: Sequence[str]) -> dict[str, list[Link]]:
        rows = await conn.fetch(
            "SELECT * FROM stock_links WHERE shop_id = $1 AND sku = ANY($2::text[]) ORDER BY item_id",
            shop_id,
            list(skus),
        )
        found: dict[str, list[Link]] = {}
        for row in rows:
            found.setdefault(row["sku"], []).append(_link(row))
        return found

    async def _insert(self, conn: asyncpg.Connection, shop_id: str, links: Sequence[Link]) -> None:
        await conn.executemany(
            """INSERT INTO stock_links (shop_id, item_id, sku, variant_id, product_id) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (shop_id, item_id) DO UPDATE
                  SET sku = EXCLUDED.sku, variant_id = EXCLUDED.variant_id, product_id = EXCLUDED.product_id,
                      seen_at = now()""",
            [(shop_id, link.item_id, link.sku, link.variant_id, link.product_id) for link in links],
        )


def _link(row: asyncpg.Record) -> Link:
    return Link(row["sku"], row["item_id"], row["variant_id"], row["product_id"])


def duplicates(links: Iterable[Link]) -> dict[str, list[Link]]:
    """SKUs held by more than one item. Pure."""
    by_sku: dict[str, list[Link]] = {}
    for link in links:
        by_sku.setdefault(link.sku, []).append(link)
    return {sku: found for sku, found in by_sku.items() if len(found) > 1}
