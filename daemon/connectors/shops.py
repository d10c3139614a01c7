"""The right API client for each connected shop, by its type."""

from __future__ import annotations

import aiohttp

from daemon.config.model import ShopConfig
from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.woocommerce.client import WooClient
from daemon.http.ratelimit import RateLimiters

ShopClient = ShopifyClient | WooClient


def create_shop_clients(
    shops: list[ShopConfig], session: aiohttp.ClientSession, limiters: RateLimiters
) -> dict[str, ShopClient]:
    clients: dict[str, ShopClient] = {}
    for shop in shops:
        client_type = ShopifyClient if shop.type == "shopify" else WooClient
        clients[shop.id] = client_type.create(shop, session, limiters[shop.id])
    return clients
