"""Rackbeat's REST API as the daemon uses it: Rackbeat JSON in and out, no mapping here.

Webhook echoes: record writes (create/update of products, customers, orders, adjustments) default
to ``suppress_webhooks`` so the daemon does not sync its own change back; state transitions (book,
ship, receive, invoice, cancel) default to announcing, because their ``inventory.changed`` is what
carries the new stock to the shops.

Creates and actions are POSTs, which the HTTP layer does not repeat after an answer was lost; the
caller looks the record up (``find_orders_by_reference``, ``get_order``, ...) before trying again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, AsyncIterator, Mapping

import aiohttp

from daemon.config.model import RackbeatConfig
from daemon.connectors.rackbeat.connection import (
    CONNECT_TIMEOUT_S,
    CONNECTION,
    DEFAULT_CONTACT,
    TIMEOUT_S,
    rackbeat_headers,
    rate_limit_observer,
)
from daemon.connectors.rackbeat.pagination import MAX_LIMIT, Record, change_window, iter_pages
from daemon.errors import NotFoundError
from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import ApiResponse
from daemon.http.urls import segment


class RackbeatClient:
    """One Rackbeat account; numbers and ids in paths are percent-encoded here (SKUs may hold ``/``)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    @classmethod
    def create(
        cls,
        config: RackbeatConfig,
        session: aiohttp.ClientSession,
        limiter: RateLimiter,
        *,
        contact: str = DEFAULT_CONTACT,
    ) -> RackbeatClient:
        api = ApiClient(
            CONNECTION,
            config.api_url,
            session=session,
            limiter=limiter,
            headers=rackbeat_headers(config.token.get_secret_value(), contact),
            timeout_s=TIMEOUT_S,
            connect_timeout_s=CONNECT_TIMEOUT_S,
            observe=rate_limit_observer(limiter),
        )
        return cls(api)

    # -- lists -------------------------------------------------------------------------------------

    def iter_pages(
        self,
        resource_path: str,
        *,
        params: Mapping[str, Any] | None = None,
        limit: int = MAX_LIMIT,
        key: str | None = None,
    ) -> AsyncIterator[list[Record]]:
        return iter_pages(self.api, resource_path, params=params, limit=limit, key=key)

    def changed_since(
        self, resource: str, since: datetime, until: datetime | None = None, *, limit: int = MAX_LIMIT
    ) -> AsyncIterator[list[Record]]:
        """Pages of ``products``, ``orders``, ``purchase-orders`` or ``customers`` changed in the window."""
        return self.iter_pages(resource, params=change_window(since, until), limit=limit)

    # -- products ----------------------------------------------------------------------------------

    async def get_product(self, number: str) -> Record | None:
        return await self._get(f"/products/{segment(number)}", "product")

    async def create_product(self, data: Record, *, suppress_webhooks: bool = True) -> Record:
        return await self._post("/products", "product", data, suppress_webhooks=suppress_webhooks)

    async def update_product(self, number: str, data: Record, *, suppress_webhooks: bool = True) -> Record:
        return await self._write(
            "PUT", f"/products/{segment(number)}", "product", data, suppress_webhooks=suppress_webhooks
        )

    async def product_locations(self, number: str) -> list[Record]:
        """Stock per location of one product."""
        return await self._all(f"/products/{segment(number)}/locations", key="product_locations")

    # -- customers ---------------------------------------------------------------------------------

    async def find_customer_by_email(self, email: str) -> Record | None:
        found = await self._all("/customers", {"simple_filter[contact_email]": email})
        return found[0] if found else None

    async def create_customer(self, data: Record, *, suppress_webhooks: bool = True) -> Record:
        return await self._post("/customers", "customer", data, suppress_webhooks=suppress_webhooks)

    # -- sales orders ------------------------------------------------------------------------------

    async def create_order(self, data: Record, *, draft: bool, suppress_webhooks: bool = True) -> Record:
        """``draft`` leaves it unbooked (``/orders/drafts``); otherwise Rackbeat books it at once."""
        path = "/orders/drafts" if draft else "/orders"
        return await self._post(path, "order", data, suppress_webhooks=suppress_webhooks)

    async def find_orders_by_reference(self, reference: str) -> list[Record]:
        return await self._all("/orders", {"simple_filter[other_reference]": reference})

    async def get_order(self, number: int | str) -> Record | None:
        return await self._get(f"/orders/{segment(number)}", "order")

    async def book_order(self, number: int | str, *, suppress_webhooks: bool = False) -> Record:
        """Book without mailing the customer (the shop already confirmed the order)."""
        return await self._post(
            f"/orders/{segment(number)}/book", "order", {"mail": {"send": False}}, suppress_webhooks=suppress_webhooks
        )

    async def create_shipment(
        self, number: int | str, lines: list[Record] | None = None, *, suppress_webhooks: bool = False
    ) -> Record:
        """A shipment of everything outstanding, or of ``lines`` only (partial delivery)."""
        body = {"lines": lines} if lines else None
        path = f"/orders/{segment(number)}/create-shipment"
        return await self._post(path, "order_shipment", body, suppress_webhooks=suppress_webhooks)

    async def mark_shipment_shipped(self, shipment_id: int | str, *, suppress_webhooks: bool = False) -> Record:
        """Pick and ship in one step; this is what moves the stock."""
        path = f"/orders/shipments/{segment(shipment_id)}/mark-shipped"
        return await self._post(path, "order_shipment", {"pick": True}, suppress_webhooks=suppress_webhooks)

    async def order_shipments(self, number: int | str) -> list[Record]:
        return await self._all(f"/orders/{segment(number)}/shipments", key="order_shipments")

    async def convert_to_invoice(
        self, number: int | str, *, book: bool = True, suppress_webhooks: bool = False
    ) -> Record:
        """Returns ``{"invoice_id": ...}``."""
        path = f"/orders/{segment(number)}/convert-to-invoice"
        return await self._post(path, None, {"book": book}, suppress_webhooks=suppress_webhooks)

    async def cancel_order(self, number: int | str, *, suppress_webhooks: bool = False) -> Record:
        return await self._post(f"/orders/{segment(number)}/cancel", "order", None, suppress_webhooks=suppress_webhooks)

    # -- purchase orders ---------------------------------------------------------------------------

    async def get_purchase_order(self, number: int | str) -> Record | None:
        return await self._get(f"/purchase-orders/{segment(number)}", "purchase_order")

    async def create_receipt(
        self, number: int | str, lines: list[Record], *, suppress_webhooks: bool = False
    ) -> Record:
        path = f"/purchase-orders/{segment(number)}/create-receipt"
        return await self._post(path, "purchase_order_receipt", {"lines": lines}, suppress_webhooks=suppress_webhooks)

    async def mark_receipt_received(
        self, number: int | str, receipt_id: int | str, *, suppress_webhooks: bool = False
    ) -> Record:
        """Receive the goods; this is what moves the stock."""
        path = f"/purchase-orders/{segment(number)}/receipts/{segment(receipt_id)}/mark-received"
        return await self._post(path, "purchase_order_receipt", None, suppress_webhooks=suppress_webhooks)

    # -- inventory adjustments ---------------------------------------------------------------------

    async def create_adjustment(self, data: Record, *, suppress_webhooks: bool = True) -> Record:
        """A draft adjustment; stock moves only when it is booked."""
        path = "/inventory-adjustments"
        return await self._post(path, "inventory_adjustment", data, suppress_webhooks=suppress_webhooks)

    async def book_adjustment(self, adjustment_id: int | str, *, suppress_webhooks: bool = False) -> Record:
        path = f"/inventory-adjustments/{segment(adjustment_id)}/book"
        return await self._post(path, "inventory_adjustment", None, suppress_webhooks=suppress_webhooks)

    async def find_adjustments(self, description: str) -> list[Record]:
        return await self._all("/inventory-adjustments", {"simple_filter[description]": description})

    # -- webhooks ----------------------------------------------------------------------------------

    async def register_webhook(self, event: str, url: str) -> Record:
        """Subscribe ``url`` to ``event``. Rackbeat upserts on event+url, so repeating is safe; the
        delivery ``token`` is only in the answer that created the subscription."""
        response = await self.api.request("POST", "/webhooks", json={"event": event, "url": url}, idempotent=True)
        return self._unwrap(response, "webhook")

    # -- plumbing ----------------------------------------------------------------------------------

    async def _get(self, path: str, key: str) -> Record | None:
        try:
            response = await self.api.request("GET", path)
        except NotFoundError:
            return None
        return self._unwrap(response, key)

    async def _all(self, path: str, params: Mapping[str, Any] | None = None, *, key: str | None = None) -> list[Record]:
        return [record async for page in self.iter_pages(path, params=params, key=key) for record in page]

    async def _post(self, path: str, key: str | None, body: Record | None, *, suppress_webhooks: bool) -> Record:
        return await self._write("POST", path, key, body, suppress_webhooks=suppress_webhooks)

    async def _write(
        self, method: str, path: str, key: str | None, body: Record | None, *, suppress_webhooks: bool
    ) -> Record:
        params = {"suppress_webhooks": True} if suppress_webhooks else None
        response = await self.api.request(method, path, params=params, json=body)
        return self._unwrap(response, key)

    def _unwrap(self, response: ApiResponse, key: str | None) -> Record:
        """``{"order": {...}}`` → the order; ``key=None`` keeps the whole object."""
        body = response.body
        if isinstance(body, dict):
            if key is None:
                return body
            if isinstance(body.get(key), dict):
                return body[key]
        raise unexpected_answer(self.api.connection, response, repr(key) if key else "JSON object")
