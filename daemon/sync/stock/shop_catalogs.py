"""Where SKUs live in a shop, read by paging the shop or from one product webhook. Shop JSON in, Links out.

Shopify: every variant is one inventory item (keyed by its gid). WooCommerce: a simple product carries
its own stock; a variable product's variations each carry theirs and are written through the parent's
variations endpoint, so a variation keeps its parent id. Items without a SKU cannot be linked.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Mapping

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.shopify.ids import to_gid
from daemon.connectors.woocommerce.client import WooClient
from daemon.sync.stock.links import Link

ShopClient = ShopifyClient | WooClient


async def shop_links(client: ShopClient) -> AsyncIterator[Link]:
    """Every stock item of the shop, paging through the whole catalogue."""
    if isinstance(client, ShopifyClient):
        async for page in client.iter_variants():
            for variant in page:
                yield Link(variant.sku, variant.inventory_item_id, variant.variant_id, variant.product_id)
        return
    async for page in client.iter_products():
        for product in page:
            async for link in woo_product_links(client, product):
                yield link


def shopify_product_links(product: Mapping[str, Any]) -> list[Link]:
    """From a REST ``products/create|update`` webhook body."""
    product_gid = to_gid("Product", product["id"])
    return [
        Link(
            variant["sku"],
            to_gid("InventoryItem", variant["inventory_item_id"]),
            to_gid("ProductVariant", variant["id"]),
            product_gid,
        )
        for variant in product.get("variants") or []
        if variant.get("sku") and variant.get("inventory_item_id")
    ]


async def woo_product_links(client: WooClient, product: Mapping[str, Any]) -> AsyncIterator[Link]:
    """A simple product links itself; a variable one links its variations (read from the shop)."""
    product_id = str(product["id"])
    if product.get("type") == "variable":
        async for page in client.iter_variations(product_id):
            for variation in page:
                if variation.get("sku"):
                    yield Link(variation["sku"], str(variation["id"]), str(variation["id"]), product_id)
    elif product.get("sku") and product.get("type") != "variation":
        yield Link(product["sku"], product_id, product_id, None)
