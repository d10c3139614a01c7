"""A shop's catalogue as pages of ``ShopVariant``, resumable from a saved cursor.

Only one page is held at a time, so memory stays flat however large the catalogue. The cursor
saved after a page is where the next one starts: Shopify's ``endCursor``, WooCommerce's page number
(products ordered by id, so pages stay put while new products are appended).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AsyncIterator, Protocol

from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.woocommerce import WooClient
from daemon.connectors.woocommerce.pagination import PER_PAGE_MAX
from daemon.http.failures import unexpected_answer
from daemon.sync.products.model import ShopVariant
from daemon.sync.products.shop_payloads import is_variable, variant_from_shopify_node, variants_from_woo
from daemon.sync.products.shopify_documents import CATALOG_PAGE

SHOPIFY_PAGE_SIZE = 100  # ~400 of the 1000 cost points a query may request


@dataclass(frozen=True)
class CatalogPage:
    variants: list[ShopVariant]
    next_cursor: str | None  # None after the last page
    total_pages: int | None = None  # when the shop says how many pages there are


class Catalog(Protocol):
    def pages(self, cursor: str | None) -> AsyncIterator[CatalogPage]: ...


class ShopifyCatalog:
    def __init__(self, client: ShopifyClient) -> None:
        self._client = client

    async def pages(self, cursor: str | None) -> AsyncIterator[CatalogPage]:
        while True:
            data = await self._client.execute(CATALOG_PAGE, {"first": SHOPIFY_PAGE_SIZE, "after": cursor})
            connection = data["productVariants"]
            info = connection.get("pageInfo") or {}
            cursor = info.get("endCursor") if info.get("hasNextPage") else None
            yield CatalogPage([variant_from_shopify_node(node) for node in connection["nodes"]], cursor)
            if cursor is None:
                return


class WooCatalog:
    def __init__(self, client: WooClient) -> None:
        self._client = client

    async def pages(self, cursor: str | None) -> AsyncIterator[CatalogPage]:
        page = int(cursor or 1)
        while True:
            params = {"page": page, "per_page": PER_PAGE_MAX, "orderby": "id", "order": "asc"}
            response = await self._client.api.request("GET", "/products", params=params)
            if not isinstance(response.body, list):
                raise unexpected_answer(self._client.api.connection, response, "JSON list")
            variants: list[ShopVariant] = []
            for product in response.body:
                variations = await self._variations(product) if is_variable(product) else []
                variants += variants_from_woo(product, variations)
            total_pages = int(response.headers.get("X-WP-TotalPages") or 1)
            last = page >= total_pages or not response.body
            yield CatalogPage(variants, None if last else str(page + 1), total_pages)
            if last:
                return
            page += 1

    async def _variations(self, product: dict) -> list[dict]:
        return [v async for batch in self._client.iter_variations(product["id"]) for v in batch]
