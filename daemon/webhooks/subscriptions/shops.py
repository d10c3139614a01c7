"""The two shop platforms' subscription APIs, for the reconciler.

Shopify has no "disabled" state: after its retries run out it deletes the subscription, which the
next reconcile creates again. WooCommerce keeps a failing webhook but sets it ``disabled``; a merchant's
``paused`` is left alone. Woo webhooks get the shop's ``webhook_secret`` (write-only in Woo), the key
the listener verifies their signatures with, on create and on re-activation.
"""

from __future__ import annotations

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.woocommerce.client import WooClient
from daemon.http.urls import segment
from daemon.webhooks.subscriptions.reconcile import Remote


def shopify_topic(topic: str) -> str:
    """``orders/partially_fulfilled`` (the X-Shopify-Topic spelling) → ``ORDERS_PARTIALLY_FULFILLED``."""
    return topic.replace("/", "_").upper()


class ShopifySubscriptions:
    issues_tokens = False

    def __init__(self, shop_id: str, client: ShopifyClient, address: str) -> None:
        self.connection = shop_id
        self._client = client
        self.address = address

    async def subscriptions(self) -> dict[str, Remote]:
        nodes = await self._client.webhook_subscriptions()
        return {node["topic"]: Remote(node["id"]) for node in nodes if node.get("uri") == self.address}

    async def create(self, topic: str) -> Remote:
        return Remote((await self._client.webhook_subscribe(topic, self.address))["id"])

    async def activate(self, topic: str, remote: Remote) -> None:
        raise AssertionError("Shopify subscriptions are never listed as disabled")


class WooSubscriptions:
    issues_tokens = False

    def __init__(self, shop_id: str, client: WooClient, address: str, secret: str) -> None:
        self.connection = shop_id
        self._client = client
        self.address = address
        self._secret = secret

    async def subscriptions(self) -> dict[str, Remote]:
        found: dict[str, Remote] = {}
        for hook in await self._client.list_webhooks():
            if hook.get("delivery_url") != self.address:
                continue
            remote = Remote(str(hook["id"]), disabled=hook.get("status") == "disabled")
            if hook["topic"] not in found or found[hook["topic"]].disabled:  # of duplicates, prefer a working one
                found[hook["topic"]] = remote
        return found

    async def create(self, topic: str) -> Remote:
        return Remote(str((await self._client.create_webhook(topic, self.address, self._secret))["id"]))

    async def activate(self, topic: str, remote: Remote) -> None:
        """With the secret again: if ``webhook_secret`` was rotated, the failures were bad signatures."""
        body = {"status": "active", "secret": self._secret}
        await self._client.api.request("PUT", f"/webhooks/{segment(remote.id)}", json=body)
