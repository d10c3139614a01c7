"""Inbox and job handlers of the product flow.

Rackbeat product changes (webhooks, polls) become one ``product.to_shop`` job per shop whose master
is Rackbeat, so one slow or failing shop does not hold back the others. Shop product webhooks are
handled in place (the inbox job retries them) for shops whose master is the shop.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from daemon.config.model import ShopConfig
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.woocommerce import WooClient
from daemon.queue.model import Job
from daemon.queue.store import JobQueue
from daemon.sync.products.model import ShopVariant
from daemon.sync.products.shop_payloads import is_variable, variants_from_shopify_rest, variants_from_woo
from daemon.sync.products.to_rackbeat import ShopToRackbeat
from daemon.sync.products.to_shop import RackbeatToShop
from daemon.sync.rackbeat_items import record_number
from daemon.webhooks.dispatch import InboxItem

TO_SHOP_KIND = "product.to_shop"


class RackbeatProductChanged:
    def __init__(self, queue: JobQueue, shop_ids: Sequence[str]) -> None:
        self._queue = queue
        self._shop_ids = list(shop_ids)

    async def handle(self, item: InboxItem) -> None:
        number = record_number(item.payload)
        if number is None:
            return
        for shop_id in self._shop_ids:
            await self._queue.enqueue(
                TO_SHOP_KIND,
                {"shop": shop_id, "number": number},
                connection=shop_id,
                dedupe_key=f"{TO_SHOP_KIND}:{shop_id}:{number}",
            )


class ProductToShopJob:
    """Read the product fresh (None when deleted) and bring the shop in line."""

    def __init__(self, rackbeat: RackbeatClient, to_shop: RackbeatToShop) -> None:
        self._rackbeat = rackbeat
        self._to_shop = to_shop

    async def handle(self, job: Job) -> None:
        number = str(job.payload["number"])
        await self._to_shop.sync(str(job.payload["shop"]), number, await self._rackbeat.get_product(number))


class ShopProductChanged:
    """A shop's product webhook into Rackbeat, for shops whose product master is the shop."""

    def __init__(
        self, to_rackbeat: ShopToRackbeat, shops: Mapping[str, ShopConfig], clients: Mapping[str, object]
    ) -> None:
        self._to_rackbeat = to_rackbeat
        self._shops = shops
        self._clients = clients

    async def handle(self, item: InboxItem) -> None:
        shop = self._shops.get(item.connection)
        if shop is None:  # not a shop-master shop: its product changes are not ours to copy
            return
        await self._to_rackbeat.sync(shop, await self._variants(shop, item.payload))

    async def _variants(self, shop: ShopConfig, payload: Mapping[str, Any]) -> list[ShopVariant]:
        if shop.type == "shopify":
            return variants_from_shopify_rest(payload)
        variations: list[dict] = []
        client = self._clients[shop.id]
        if is_variable(payload) and isinstance(client, WooClient):
            variations = [v async for page in client.iter_variations(payload["id"]) for v in page]
        return variants_from_woo(payload, variations)

