"""Offline emulator of the Shopify Admin GraphQL API and its webhooks.

    emulator = ShopifyEmulator([ShopSpec("acme", "token", "webhook-secret", seed=ShopifySeed(skus=[...]))])
    async with serve(emulator.app) as base_url:          # daemon.sandbox.common.serve
        api_url = f"{base_url}/acme"                      # + /admin/api/{version}/graphql.json
        ...                                               # control routes: see control.py
        await emulator.drain_webhooks()

``daemon.sandbox.shopify.testing`` has a small client (``running``, ``ShopClient``) and a webhook receiver.
"""

from .app import ShopifyEmulator
from .spec import ShopifySeed, ShopSpec

__all__ = ["ShopifyEmulator", "ShopSpec", "ShopifySeed"]
