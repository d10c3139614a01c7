"""Purchasing-only routes: mark a receipt received."""

from __future__ import annotations

from aiohttp import web

from .responses import one
from .routes_documents import document_routes
from .state import RackbeatState


def purchasing_routes(state: RackbeatState) -> list[web.RouteDef]:
    purchase_orders = state.purchase_orders

    async def mark_received(request: web.Request) -> web.Response:
        document = purchase_orders.find(request.match_info["number"])
        receipt = purchase_orders.complete(purchase_orders.find_fulfilment(request.match_info["id"], document))
        return one(request, "purchase_order_receipt", purchase_orders.fulfilment_dict(receipt))

    return [
        *document_routes(purchase_orders, "receipt"),
        web.post("/api/purchase-orders/{number}/receipts/{id}/mark-received", mark_received),
    ]
