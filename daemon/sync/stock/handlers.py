"""Inbox handlers that feed the stock flow: Rackbeat stock changes, and shop products changing their SKUs."""

from __future__ import annotations

from typing import Mapping, Sequence

from daemon.connectors.shopify.ids import to_gid
from daemon.connectors.woocommerce.client import WooClient
from daemon.db.database import Database
from daemon.sync.stock.levels import StockLevels
from daemon.sync.stock.linker import Linker
from daemon.sync.stock.marks import StockMarks
from daemon.sync.rackbeat_items import record_number
from daemon.sync.stock.shop_catalogs import shopify_product_links, woo_product_links
from daemon.webhooks.dispatch import InboxItem, Outcome


class RackbeatStockChanged:
    """``inventory.changed`` webhooks or polled products: their SKUs are dirty in every stock shop, all
    of the items handed over together marked in one transaction."""

    def __init__(self, marks: StockMarks) -> None:
        self._marks = marks

    async def handle(self, item: InboxItem) -> None:
        await self._marks.mark_now(filter(None, [record_number(item.payload)]))

    async def handle_many(self, items: Sequence[InboxItem]) -> list[Outcome]:
        try:
            await self._marks.mark_now(filter(None, (record_number(item.payload) for item in items)))
        except Exception as exc:  # noqa: BLE001 - every item's outcome: they were marked together
            return [exc] * len(items)
        return [None] * len(items)


class ShopifyProductChanged:
    """``products/create|update``: the product's variants replace its links, and are pushed afresh."""

    def __init__(self, linker: Linker, marks: StockMarks) -> None:
        self._linker = linker
        self._marks = marks

    async def handle(self, item: InboxItem) -> None:
        product_gid = to_gid("Product", item.payload["id"])
        skus = await self._linker.link_products(item.connection, [product_gid], shopify_product_links(item.payload))
        await self._marks.mark_now(skus, shop_ids=[item.connection], force=True)


class WooProductChanged:
    """``product.created|updated``: a simple product, a variable one (its variations are read), or a
    variation (its parent is relinked).

    WooCommerce sends this for every stock write, the daemon's own pushes and each order's included. An
    item already linked under its SKU needs no relinking: when it shows the quantity last pushed it is
    the echo of that push and nothing is done (pushing it afresh would only be echoed again), otherwise
    its SKU is pushed afresh."""

    def __init__(
        self, linker: Linker, marks: StockMarks, clients: Mapping[str, WooClient], database: Database, levels: StockLevels
    ) -> None:
        self._linker = linker
        self._marks = marks
        self._clients = clients
        self._database = database
        self._levels = levels

    async def handle(self, item: InboxItem) -> None:
        client = self._clients.get(item.connection)
        if client is None:
            return
        product = item.payload
        linked, last_pushed = await self._item_link(item.connection, product)
        if linked:
            if last_pushed != product["stock_quantity"]:
                await self._marks.mark_now([product["sku"]], shop_ids=[item.connection], force=True)
            return
        if product.get("type") == "variation" and product.get("parent_id"):
            product = {"id": product["parent_id"], "type": "variable"}
        links = [link async for link in woo_product_links(client, product)]
        skus = await self._linker.link_products(item.connection, [str(product["id"])], links)
        await self._marks.mark_now(skus, shop_ids=[item.connection], force=True)

    async def _item_link(self, shop_id: str, product: Mapping) -> tuple[bool, int | None]:
        """Whether an item with stock of its own is linked under its SKU, and what was last pushed to it."""
        if product.get("type") == "variable" or not product.get("sku") or not isinstance(product.get("stock_quantity"), int):
            return False, None
        async with self._database.pool.acquire() as conn:
            return await self._levels.last_push_of_item(conn, shop_id, str(product["id"]), product["sku"])
