"""One emulated WooCommerce site: its store, services, key, webhooks and the URL it is reached at."""

from __future__ import annotations

from typing import Any, Callable

import aiohttp
from aiohttp import web

from ..common import Clock
from .auth import ApiKey, Authenticator
from .dates import SiteTime
from .delivery import DeliveryQueue, Hookshot
from .orders import OrderService
from .products import ProductService
from .serialize import Serializer
from .spec import SiteSpec
from .store import SiteStore
from .webhooks import WebhookService
from .wire import RestError


class Site:
    def __init__(self, spec: SiteSpec, *, clock: Clock, session: Callable[[], aiohttp.ClientSession]) -> None:
        self.spec = spec
        self.handle = spec.handle
        # Learned from the requests that reach the site (the port is only known once the server runs).
        self.home_url = ""
        self.time = SiteTime(spec.timezone)
        self.store = SiteStore()
        self.products = ProductService(self.store)
        self.orders = OrderService(
            self.store, self.products, currency=spec.currency, prices_include_tax=spec.prices_include_tax
        )
        self.auth = Authenticator(ApiKey(spec.consumer_key, spec.consumer_secret, spec.key_permissions))
        self.serializer = Serializer(self.store, self.time, lambda: self.home_url)
        self.queue = DeliveryQueue(clock)
        self.webhooks = WebhookService(
            queue=self.queue,
            hookshot=Hookshot(session, clock),
            payload=self.payload,
            home_url=lambda: self.home_url,
            time=self.time,
            default_secret=spec.webhook_secret,
            max_failures=spec.max_webhook_failures,
        )
        self.store.subscribe(self.webhooks.on_event)
        if spec.seed is not None:
            self.products.seed(spec.seed)

    def learn_url(self, request: web.Request) -> None:
        self.home_url = f"{request.scheme}://{request.host}/{self.handle}"

    def payload(self, resource: str, resource_id: int) -> Any:
        """What ``GET /wc/v3/{resource}s/{id}`` answers right now, error body included."""
        try:
            if resource == "order":
                return self.serializer.order(self.orders.get(resource_id))
            if resource == "product":
                return self.serializer.product(self.products.get(resource_id))
        except RestError as error:
            return error.body()
        return {"id": resource_id}

    def state(self) -> dict[str, Any]:
        """Everything a test wants to assert on, in one JSON document."""
        return {
            "orders": [self.serializer.order(o) for o in self.store.orders.values()],
            "notes": [{**self.serializer.note(n), "order_id": n.order_id} for n in self.store.notes],
            "products": [
                {
                    "id": p.id,
                    "type": p.type,
                    "parent_id": p.parent_id,
                    "sku": p.sku,
                    "status": p.status,
                    "manage_stock": p.manage_stock,
                    "stock_quantity": p.stock_quantity,
                    "stock_status": p.stock_status,
                }
                for p in self.store.products.values()
            ],
            "webhooks": [
                {**self.webhooks.to_json(w), "failure_count": w.failure_count, "pending_delivery": w.pending_delivery}
                for w in self.webhooks.webhooks.values()
            ],
            "deliveries": list(self.webhooks.log),
            "queue": {"paused": self.queue.paused, "delay": self.queue.delay},
        }


SITE = web.RequestKey("woo_site", Site)  # the site an API request is addressed to
