"""Making one shop variant show a Rackbeat product: Shopify and WooCommerce, found by SKU.

Variants are never created: a SKU that is a variant of a bigger product updates that variant only
(price, barcode); product-level fields (name, description, type, status) are written when the variant
is its product's only one. A SKU the shop lacks becomes a new single-variant product, unless barred.
"""

from __future__ import annotations

from typing import Any, Protocol

import structlog

from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.shopify.ids import search_value
from daemon.connectors.woocommerce import WooClient
from daemon.sync.products import mapping
from daemon.sync.products.model import ShopFields
from daemon.sync.products.shopify_documents import VARIANTS_OF_SKU

log = structlog.get_logger()


class ShopWriter(Protocol):
    async def apply(self, fields: ShopFields) -> None: ...

    async def draft(self, sku: str) -> None:
        """The Rackbeat product is gone: hide the shop's, never delete it."""


class ShopifyWriter:
    def __init__(self, client: ShopifyClient, shop_id: str) -> None:
        self._client = client
        self._shop_id = shop_id

    async def apply(self, fields: ShopFields) -> None:
        variants = await self._variants(fields.sku)
        if not variants:
            if fields.active:
                await self._client.product_set(mapping.shopify_create_input(fields))
                log.info("product.created", target="shop", shop=self._shop_id, sku=fields.sku)
            return
        for variant in variants:
            product = variant["product"]
            update = mapping.shopify_variant_input(variant["id"], fields)
            await self._client.variants_bulk_update(product["id"], [update])
            if _alone(product):
                await self._client.product_set(mapping.shopify_product_input(fields), {"id": product["id"]})
            elif not fields.active:
                _cannot_draft(self._shop_id, fields.sku, product)
        log.info("product.updated", target="shop", shop=self._shop_id, sku=fields.sku, variants=len(variants))

    async def draft(self, sku: str) -> None:
        for variant in await self._variants(sku):
            product = variant["product"]
            if _alone(product):
                await self._client.product_set({"status": mapping.shopify_status(False)}, {"id": product["id"]})
                log.info("product.updated", target="shop", shop=self._shop_id, sku=sku, status="draft")
            else:
                _cannot_draft(self._shop_id, sku, product)

    async def _variants(self, sku: str) -> list[dict[str, Any]]:
        data = await self._client.execute(VARIANTS_OF_SKU, {"query": f"sku:{search_value(sku)}"})
        return [node for node in data["productVariants"]["nodes"] if node.get("sku") == sku]


def _alone(product: dict[str, Any]) -> bool:
    return ((product.get("variantsCount") or {}).get("count") or 1) == 1


def _cannot_draft(shop_id: str, sku: str, product: dict[str, Any]) -> None:
    log.warning(
        "product.draft_skipped",
        shop=shop_id,
        sku=sku,
        product=product["id"],
        reason="a Shopify variant cannot be drafted alone; its product has other variants",
    )


class WooWriter:
    def __init__(self, client: WooClient, shop_id: str) -> None:
        self._client = client
        self._shop_id = shop_id

    async def apply(self, fields: ShopFields) -> None:
        items = await self._items(fields.sku)
        if not items:
            if fields.active:
                await self._client.create_product(mapping.woo_create_body(fields))
                log.info("product.created", target="shop", shop=self._shop_id, sku=fields.sku)
            return
        for item in items:
            if item.get("type") == "variation":
                await self._variation(item, mapping.woo_variation_body(item["id"], fields))
            else:
                await self._client.update_product(item["id"], mapping.woo_product_body(fields))
        log.info("product.updated", target="shop", shop=self._shop_id, sku=fields.sku)

    async def draft(self, sku: str) -> None:
        for item in await self._items(sku):
            if item.get("type") == "variation":
                await self._variation(item, {"id": int(item["id"]), "status": "private"})
            else:
                await self._client.update_product(item["id"], {"status": "draft"})
            log.info("product.updated", target="shop", shop=self._shop_id, sku=sku, status="draft")

    async def _items(self, sku: str) -> list[dict[str, Any]]:
        return [item for item in await self._client.products_by_sku([sku]) if item.get("sku") == sku]

    async def _variation(self, item: dict[str, Any], body: dict[str, Any]) -> None:
        result = await self._client.batch_variations(item["parent_id"], update=[body])
        result.raise_for_failures(self._shop_id)


def writer_for(client: object, shop_id: str) -> ShopWriter:
    if isinstance(client, ShopifyClient):
        return ShopifyWriter(client, shop_id)
    if isinstance(client, WooClient):
        return WooWriter(client, shop_id)
    raise TypeError(f"shop {shop_id!r}: no product writer for {type(client).__name__}")
