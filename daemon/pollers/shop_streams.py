"""Each shop's orders as a poll stream: the fallback for order webhooks a shop dropped or never sent.

Bodies are what the order flow's mappers expect for the ``poll`` source: Shopify GraphQL order nodes
(``order_from_shopify_graphql``) and WooCommerce REST orders (``order_from_woocommerce``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, AsyncIterator, Iterable, Mapping, Union

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.woocommerce.client import WooClient
from daemon.connectors.woocommerce.pagination import parse_gmt
from daemon.pollers.stream import PolledItem
from daemon.sync.order_flow.handlers import POLLED_SHOPIFY_ORDER, POLLED_WOO_ORDER

if TYPE_CHECKING:
    from daemon.config.model import ShopConfig

ORDERS = "orders"


class ShopifyOrdersStream:
    name = ORDERS

    def __init__(self, client: ShopifyClient, shop_id: str, interval_s: float) -> None:
        self.connection = shop_id
        self.interval_s = interval_s
        self._client = client

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        async for page in self._client.orders_updated_since(since, until):
            for node in page:
                updated_at = dt.datetime.fromisoformat(node["updatedAt"].replace("Z", "+00:00"))
                yield PolledItem(POLLED_SHOPIFY_ORDER, str(node["legacyResourceId"]), updated_at, node)


class WooOrdersStream:
    name = ORDERS

    def __init__(self, client: WooClient, shop_id: str, interval_s: float) -> None:
        self.connection = shop_id
        self.interval_s = interval_s
        self._client = client

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        async for page in self._client.orders_modified_since(since, until):
            for order in page:
                yield PolledItem(POLLED_WOO_ORDER, str(order["id"]), parse_gmt(order["date_modified_gmt"]), order)


ShopClient = Union[ShopifyClient, WooClient]
OrdersStream = Union[ShopifyOrdersStream, WooOrdersStream]
STREAMS = {"shopify": (ShopifyOrdersStream, ShopifyClient), "woocommerce": (WooOrdersStream, WooClient)}


def shop_streams(clients: Mapping[str, ShopClient], shops: Iterable[ShopConfig]) -> list[OrdersStream]:
    """One orders stream per shop whose orders are synced; ``clients`` maps shop id to its client."""
    streams: list[OrdersStream] = []
    for shop in shops:
        if not shop.orders.enabled:
            continue
        stream_type, client_type = STREAMS[shop.type]
        client = clients[shop.id]
        if not isinstance(client, client_type):
            raise TypeError(f"shop {shop.id!r} is a {shop.type} shop but its client is a {type(client).__name__}")
        streams.append(stream_type(client, shop.id, shop.poll_interval_s))
    return streams
