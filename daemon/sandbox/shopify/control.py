"""Test control API under ``/_sandbox/{handle}/...``: act as a customer or merchant, inspect state, make drift.

- ``POST orders``: place an order (body: see ``orders.place_order``) -> 201 ``{"order": <REST order>}``
- ``POST orders/{id}/pay`` | ``cancel`` (``{"reason"?, "restock"?}``) | ``edit`` (``{"email"|"phone"|"note"|
  "tags"|"shipping_address"|"billing_address"}``) -> ``{"order": ...}``; 422 when the step makes no sense
- ``GET state``: orders, fulfillments, products, inventory levels, locations, subscriptions, delivery log
- ``POST inventory``: ``{"sku" | "inventory_item_id", "location_id"?, "available"}`` sets stock directly

Not part of Shopify; the fault middleware leaves these routes alone.
"""

from __future__ import annotations

from typing import Any, Callable

from aiohttp import web

from ..common import CONTROL_PREFIX
from .inventory import set_level
from .orders import OrderRequestError, cancel_order, edit_order, pay_order, place_order
from .rest_json import fulfillment_json, order_json, product_json
from .store import ShopState
from .webhooks import WebhookDispatcher


class ControlRoutes:
    def __init__(self, shops: dict[str, ShopState], webhooks: WebhookDispatcher) -> None:
        self.shops = shops
        self.webhooks = webhooks

    def register(self, app: web.Application) -> None:
        base = f"{CONTROL_PREFIX}/{{handle}}"
        app.router.add_post(f"{base}/orders", self.place)
        app.router.add_post(
            f"{base}/orders/{{order_id}}/pay", self._order_action(lambda s, o, _: pay_order(s, o))
        )
        app.router.add_post(f"{base}/orders/{{order_id}}/cancel", self._order_action(cancel_order))
        app.router.add_post(f"{base}/orders/{{order_id}}/edit", self._order_action(edit_order))
        app.router.add_get(f"{base}/state", self.inspect)
        app.router.add_post(f"{base}/inventory", self.set_inventory)

    def _shop(self, request: web.Request) -> ShopState:
        state = self.shops.get(request.match_info["handle"])
        if state is None:
            raise web.HTTPNotFound(text="unknown shop")
        return state

    async def place(self, request: web.Request) -> web.Response:
        state = self._shop(request)
        try:
            order = place_order(state, await request.json())
        except OrderRequestError as exc:
            return web.json_response({"errors": str(exc)}, status=422)
        return web.json_response({"order": order_json(state, order)}, status=201)

    def _order_action(self, action: Callable[[ShopState, Any, dict], Any]):
        async def handler(request: web.Request) -> web.Response:
            state = self._shop(request)
            order = state.orders.get(int(request.match_info["order_id"]))
            if order is None:
                return web.json_response({"errors": "Not Found"}, status=404)
            body = await request.json() if request.can_read_body else {}
            try:
                action(state, order, body)
            except OrderRequestError as exc:
                return web.json_response({"errors": str(exc)}, status=422)
            return web.json_response({"order": order_json(state, order)})

        return handler

    async def inspect(self, request: web.Request) -> web.Response:
        state = self._shop(request)
        return web.json_response(
            {
                "orders": [order_json(state, order) for order in state.orders.values()],
                "fulfillments": [fulfillment_json(state, fid) for fid in state.fulfillments],
                "products": [product_json(state, product) for product in state.products.values()],
                "inventory_levels": [
                    {
                        "sku": state.variant_of_item(level.inventory_item_id).sku,
                        "inventory_item_id": level.inventory_item_id,
                        "location_id": level.location_id,
                        "available": level.available,
                        "on_hand": level.on_hand,
                        "committed": level.committed,
                    }
                    for level in state.levels.values()
                ],
                "locations": [{"id": loc.id, "name": loc.name} for loc in state.locations.values()],
                "webhook_subscriptions": [
                    {"id": s.id, "topic": s.topic, "uri": s.uri} for s in state.webhook_subscriptions.values()
                ],
                "webhook_deliveries": self.webhooks.log.get(state.spec.handle, []),
            }
        )

    async def set_inventory(self, request: web.Request) -> web.Response:
        """Body: ``{"sku" | "inventory_item_id", "location_id"?, "available"}``: stock changed elsewhere."""
        state = self._shop(request)
        body = await request.json()
        if "inventory_item_id" in body:
            item_id = int(body["inventory_item_id"])
        else:
            variants = state.variants_by_sku(str(body.get("sku")))
            item_id = variants[0].inventory_item_id if variants else 0
        location_id = int(body.get("location_id") or min(state.locations))
        level = state.level(item_id, location_id)
        if level is None:
            return web.json_response({"errors": "inventory level not found"}, status=404)
        set_level(state, level, "available", int(body["available"]))
        return web.json_response(
            {
                "inventory_level": {
                    "inventory_item_id": item_id,
                    "location_id": location_id,
                    "available": level.available,
                }
            }
        )
