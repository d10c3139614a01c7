"""Subscribe the daemon's listener to each emulator's webhooks, through each API as the daemon would.

The daemon does not register its own webhooks yet, so the sandbox does it for it: Shopify with
``webhookSubscriptionCreate``, WooCommerce and Rackbeat with ``POST /webhooks``. The shop topics are
the ones the daemon's order flow handles; the Rackbeat events add stock and product changes, which
the daemon records (and will act on once its stock flow exists).
"""

from __future__ import annotations

from typing import Any

import aiohttp

from daemon.sync.order_flow.handlers import SHOPIFY_ORDER_TOPICS, WOO_ORDER_TOPICS

from .credentials import RackbeatAccount, ShopifyShop, WooSite

SHOPIFY_API_VERSION = "2025-10"
SHOPIFY_TOPICS = tuple(topic.replace("/", "_").upper() for topic in SHOPIFY_ORDER_TOPICS)  # ORDERS_CREATE
WOO_TOPICS = WOO_ORDER_TOPICS
RACKBEAT_EVENTS = ("order.shipped", "product.created", "product.updated", "inventory.changed")

SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
    webhookSubscription { id } userErrors { field message } } }"""
ALREADY_TAKEN = "Address for this topic has already been taken"


class RegistrationError(RuntimeError):
    """An emulator refused a subscription; the sandbox cannot show webhooks without it."""


class WebhookRegistrar:
    """Registers subscriptions pointing at ``listener_url`` (``http://host:port`` of the daemon)."""

    def __init__(self, session: aiohttp.ClientSession, listener_url: str) -> None:
        self.session = session
        self.listener_url = listener_url.rstrip("/")

    async def shopify(self, api_url: str, shop: ShopifyShop) -> None:
        url = f"{api_url}/admin/api/{SHOPIFY_API_VERSION}/graphql.json"
        uri = f"{self.listener_url}/webhooks/shopify/{shop.id}"
        for topic in SHOPIFY_TOPICS:
            body = await self._post(
                url, {"query": SUBSCRIBE, "variables": {"topic": topic, "uri": uri}},
                headers={"X-Shopify-Access-Token": shop.access_token},
            )
            result = (body.get("data") or {}).get("webhookSubscriptionCreate") or {}
            if "errors" in body or any(e["message"] != ALREADY_TAKEN for e in result.get("userErrors", [])):
                raise RegistrationError(f"shopify {shop.id} {topic}: {body}")

    async def woocommerce(self, site_url: str, site: WooSite) -> None:
        url = f"{site_url}/wp-json/wc/v3/webhooks"
        headers = {"Authorization": aiohttp.encode_basic_auth(site.consumer_key, site.consumer_secret)}
        for topic in WOO_TOPICS:
            await self._post(
                url,
                {
                    "name": f"rackbeat-sync {topic}",
                    "topic": topic,
                    "delivery_url": f"{self.listener_url}/webhooks/woocommerce/{site.id}",
                    "secret": site.webhook_secret,
                    "status": "active",
                },
                headers=headers,
            )

    async def rackbeat(self, api_url: str, account: RackbeatAccount) -> list[int]:
        """Returns the subscription ids (Rackbeat upserts on event+url, so this is safe to repeat)."""
        ids = []
        for event in RACKBEAT_EVENTS:
            body = await self._post(
                f"{api_url}/webhooks",
                {"event": event, "url": f"{self.listener_url}/webhooks/rackbeat", "is_active": True},
                headers={"Authorization": f"Bearer {account.token}", "Accept": "application/json"},
            )
            ids.append(int(body["webhook"]["id"]))
        return ids

    async def _post(self, url: str, payload: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        async with self.session.post(url, json=payload, **kwargs) as response:
            body = await response.json(content_type=None)
            if response.status >= 300:
                raise RegistrationError(f"POST {url}: HTTP {response.status}: {body}")
            return body
