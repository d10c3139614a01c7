"""Sales-only routes: mark a shipment shipped, cancel, convert to invoice, read invoices."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .responses import is_true, many, one, read_body, reply
from .routes_documents import document_routes
from .state import RackbeatState


def sales_routes(state: RackbeatState) -> list[web.RouteDef]:
    orders = state.orders

    async def mark_shipped(request: web.Request) -> web.Response:
        await read_body(request)  # {"pick": true} is accepted; picking and shipping happen together here
        shipment = orders.complete(orders.find_fulfilment(request.match_info["id"]))
        return one(request, "order_shipment", orders.fulfilment_dict(shipment))

    async def cancel(request: web.Request) -> web.Response:
        order = orders.cancel(orders.find(request.match_info["number"]))
        return one(request, "order", orders.to_dict(order))

    async def convert_to_invoice(request: web.Request) -> web.Response:
        body = await read_body(request)
        book = body.get("book", request.query.get("book", True))
        mark_create(request)
        invoice = orders.convert_to_invoice(orders.find(request.match_info["number"]), book=is_true(book))
        return reply({"invoice_id": invoice.number})

    async def list_invoices(request: web.Request) -> web.Response:
        return many(request, "customer_invoices", map(orders.invoice_dict, orders.invoices.values()))

    async def get_invoice(request: web.Request) -> web.Response:
        invoice = orders.find_invoice(request.match_info["number"])
        return one(request, "customer_invoice", orders.invoice_dict(invoice))

    return [
        *document_routes(orders, "shipment"),
        web.post("/api/orders/shipments/{id}/mark-shipped", mark_shipped),
        web.post("/api/orders/{number}/cancel", cancel),
        web.post("/api/orders/{number}/convert-to-invoice", convert_to_invoice),
        web.get("/api/customer-invoices", list_invoices),
        web.get("/api/customer-invoices/{number}", get_invoice),
    ]
