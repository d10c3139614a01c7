"""The daemon's own webhook subscriptions: which ones it wants, and the tokens its listener accepts.

Wanted is exactly what the flows route: a (source, topic) inbox route for a shop or Rackbeat topic
means a subscription for it at every connection of that source. They point at ``daemon.public_url``
(empty: the daemon registers nothing and relies on subscriptions made by hand, and on polling).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import structlog

from daemon.config.model import Config
from daemon.connectors.rackbeat.client import RackbeatClient
from daemon.connectors.rackbeat.connection import CONNECTION as RACKBEAT
from daemon.connectors.shopify.client import ShopifyClient
from daemon.db.database import Database
from daemon.webhooks.subscriptions.rackbeat import RackbeatSubscriptions
from daemon.webhooks.subscriptions.reconcile import Platform, SubscriptionReconciler
from daemon.webhooks.subscriptions.shops import ShopifySubscriptions, WooSubscriptions, shopify_topic
from daemon.webhooks.subscriptions.store import SubscriptionStore

log = structlog.get_logger()  # lazy: follows configure_logging() done after import


class SubscriptionManager:
    """``streams``: one reconciling poll stream per connection, for the program to run with pollers;
    ``rackbeat_tokens``: for the listener."""

    def __init__(
        self,
        config: Config,
        database: Database,
        rackbeat: RackbeatClient,
        shop_clients: Mapping[str, object],
        routes: Iterable[tuple[str, str]],
    ) -> None:
        self.store = SubscriptionStore(database.pool)
        token = config.rackbeat.webhook_token
        self._configured_token = token.get_secret_value() if token is not None else None
        self.public_url = config.daemon.public_url.rstrip("/")
        topics: dict[str, set[str]] = {}
        for source, topic in routes:
            topics.setdefault(source, set()).add(topic)
        self.streams: list[SubscriptionReconciler] = []
        if not self.public_url:
            log.info("webhooks.not_subscribing", reason="daemon.public_url is empty")
            return
        if topics.get(RACKBEAT):
            self._add(RackbeatSubscriptions(rackbeat, f"{self.public_url}/webhooks/rackbeat"), topics[RACKBEAT])
        for shop in config.shops:
            client, wanted = shop_clients.get(shop.id), topics.get(shop.type)
            if client is None or not wanted:
                continue
            address = f"{self.public_url}/webhooks/{shop.type}/{shop.id}"
            if isinstance(client, ShopifyClient):
                self._add(ShopifySubscriptions(shop.id, client, address), {shopify_topic(t) for t in wanted})
            else:
                secret = shop.webhook_secret.get_secret_value()
                self._add(WooSubscriptions(shop.id, client, address, secret), wanted)

    async def rackbeat_tokens(self) -> set[str]:
        """Every token a genuine Rackbeat delivery may carry: the daemon's subscriptions', and the
        configured ``rackbeat.webhook_token`` for a subscription made by hand."""
        tokens = await self.store.tokens(RACKBEAT)
        if self._configured_token:
            tokens.add(self._configured_token)
        return tokens

    def _add(self, platform: Platform, topics: set[str]) -> None:
        self.streams.append(SubscriptionReconciler(platform, sorted(topics), self.store))
