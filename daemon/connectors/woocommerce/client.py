"""One WooCommerce site's REST API (``/wp-json/wc/v3``) as the daemon uses it: Woo JSON, no mapping.

Creates (products, notes, webhooks) are POSTs the HTTP layer does not repeat after a lost answer;
the caller looks the record up (``products_by_sku``, ``list_webhooks``) before trying again. Stock
writes go through the batch endpoints (100 items per request).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, AsyncIterator, Mapping, Sequence

import aiohttp

from daemon.config.model import ShopConfig
from daemon.connectors.woocommerce.auth import site_auth
from daemon.connectors.woocommerce.batch import BatchResult, batch_body, batch_result
from daemon.connectors.woocommerce.pagination import PER_PAGE_MAX, Record, iter_pages, modified_window
from daemon.errors import NotFoundError
from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import ApiResponse
from daemon.http.urls import segment

API_PATH = "/wp-json/wc/v3"
TIMEOUT_S = 60.0  # every request boots WordPress; a page of 100 full orders can take seconds
SKUS_PER_LOOKUP = PER_PAGE_MAX


class WooClient:
    def __init__(self, api: ApiClient) -> None:
        self.api = api

    @classmethod
    def create(cls, shop: ShopConfig, session: aiohttp.ClientSession, limiter: RateLimiter) -> WooClient:
        if shop.consumer_key is None or shop.consumer_secret is None:
            raise ValueError(f"shop {shop.id!r} has no consumer_key/consumer_secret")
        sender, auth_headers = site_auth(
            shop.api_url, shop.consumer_key.get_secret_value(), shop.consumer_secret.get_secret_value(), session
        )
        api = ApiClient(
            shop.id,
            f"{shop.api_url.rstrip('/')}{API_PATH}",
            session=sender,  # type: ignore[arg-type]  # OAuthSession offers the one method ApiClient uses
            limiter=limiter,
            headers={"Accept": "application/json", **auth_headers},
            timeout_s=TIMEOUT_S,
        )
        return cls(api)

    # -- orders ------------------------------------------------------------------------------------

    def orders_modified_since(self, since: datetime, until: datetime | None = None) -> AsyncIterator[list[Record]]:
        """Pages of orders (every status but trash) modified after ``since``, oldest change first."""
        params = {**modified_window(since, until), "status": "any"}
        return iter_pages(self.api, "/orders", params)

    async def get_order(self, order_id: int | str) -> Record | None:
        try:
            response = await self.api.request("GET", f"/orders/{segment(order_id)}")
        except NotFoundError:
            return None
        return self._object(response)

    async def update_order(self, order_id: int | str, data: Mapping[str, Any]) -> Record:
        """E.g. ``{"status": "completed"}``; answers the whole order."""
        return self._object(await self.api.request("PUT", f"/orders/{segment(order_id)}", json=dict(data)))

    async def add_order_note(self, order_id: int | str, note: str, customer_note: bool = False) -> Record:
        """``customer_note=True`` e-mails the note to the customer."""
        body = {"note": note, "customer_note": customer_note}
        return self._object(await self.api.request("POST", f"/orders/{segment(order_id)}/notes", json=body))

    async def order_notes(self, order_id: int | str) -> list[Record]:
        """Newest first; lets a caller check whether a note it sent before a lost answer arrived."""
        response = await self.api.request("GET", f"/orders/{segment(order_id)}/notes")
        if not isinstance(response.body, list):
            raise unexpected_answer(self.api.connection, response, "JSON list")
        return response.body

    # -- products ----------------------------------------------------------------------------------

    async def products_by_sku(self, skus: Sequence[str]) -> list[Record]:
        """Products *and variations* (``type: variation``, with ``parent_id``) holding exactly these SKUs.

        WooCommerce splits the filter on commas, so a SKU containing a comma cannot be looked up.
        """
        found: list[Record] = []
        for start in range(0, len(skus), SKUS_PER_LOOKUP):
            chunk = ",".join(skus[start : start + SKUS_PER_LOOKUP])
            found += [item async for page in iter_pages(self.api, "/products", {"sku": chunk}) for item in page]
        return found

    def iter_products(self, params: Mapping[str, Any] | None = None) -> AsyncIterator[list[Record]]:
        return iter_pages(self.api, "/products", params)

    def iter_variations(self, product_id: int | str) -> AsyncIterator[list[Record]]:
        return iter_pages(self.api, f"/products/{segment(product_id)}/variations")

    async def create_product(self, data: Mapping[str, Any]) -> Record:
        return self._object(await self.api.request("POST", "/products", json=dict(data)))

    async def update_product(self, product_id: int | str, data: Mapping[str, Any]) -> Record:
        return self._object(await self.api.request("PUT", f"/products/{segment(product_id)}", json=dict(data)))

    async def batch_products(
        self,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        """Up to 100 items in all (``ValueError`` above); refused items are in ``failures``."""
        return await self._batch("/products/batch", create, update, delete)

    async def batch_variations(
        self,
        product_id: int | str,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        return await self._batch(f"/products/{segment(product_id)}/variations/batch", create, update, delete)

    async def _batch(
        self,
        path: str,
        create: Sequence[Mapping[str, Any]],
        update: Sequence[Mapping[str, Any]],
        delete: Sequence[int],
    ) -> BatchResult:
        body = batch_body(create, update, delete)
        # Safe to repeat only without creates: updates set absolute values, deletes are forced.
        response = await self.api.request("POST", path, json=body, idempotent=not create)
        return batch_result(self._object(response))

    # -- webhooks ----------------------------------------------------------------------------------

    async def create_webhook(self, topic: str, delivery_url: str, secret: str, *, name: str | None = None) -> Record:
        """Created active; WooCommerce pings ``delivery_url`` (unsigned ``webhook_id=N``) and needs a 200."""
        body = {
            "name": name or f"rackbeat-sync {topic}",
            "topic": topic,
            "delivery_url": delivery_url,
            "secret": secret,
            "status": "active",
        }
        return self._object(await self.api.request("POST", "/webhooks", json=body))

    async def list_webhooks(self) -> list[Record]:
        return [hook async for page in iter_pages(self.api, "/webhooks") for hook in page]

    async def activate_webhook(self, webhook_id: int | str) -> Record:
        """Re-enable a webhook WooCommerce disabled after repeated delivery failures."""
        response = await self.api.request("PUT", f"/webhooks/{segment(webhook_id)}", json={"status": "active"})
        return self._object(response)

    def _object(self, response: ApiResponse) -> Record:
        if isinstance(response.body, dict):
            return response.body
        raise unexpected_answer(self.api.connection, response, "JSON object")
