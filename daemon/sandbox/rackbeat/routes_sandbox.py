"""``/_sandbox/...``: what a Rackbeat *user* would do in the UI, plus inspection for tests.

- ``GET  /_sandbox/state``: counts and the recent webhook delivery log.
- ``POST /_sandbox/stock`` ``{"product", "location"?, "quantity"? | "delta"?}``: set or shift stock
  (fires ``inventory.changed``); answers the product's per-location stock.
- ``POST /_sandbox/orders/{n}/ship`` ``{"lines"?: [{"line_id", "quantity"}]}``: create a shipment and
  mark it shipped in one go.
- ``POST /_sandbox/purchase-orders/{n}/receive``: the same for a receipt.
"""

from __future__ import annotations


from aiohttp import web

from ..common import CONTROL_PREFIX
from .delivery import WebhookDispatcher
from .documents import DocumentBook
from .failures import Problems
from .payload import Payload
from .responses import read_body, reply
from .state import RackbeatState


def sandbox_routes(state: RackbeatState, dispatcher: WebhookDispatcher) -> list[web.RouteDef]:
    catalog = state.catalog

    async def summary(_: web.Request) -> web.Response:
        return reply({**state.summary(), "webhook_deliveries": list(dispatcher.log)[-50:]})

    async def set_stock(request: web.Request) -> web.Response:
        problems = Problems()
        data = Payload(await read_body(request), problems)
        product = catalog.find_product(data.text("product", required=True) or "")
        location = catalog.location(data.data.get("location", catalog.default_location.number))
        quantity = data.decimal("quantity")
        delta = data.decimal("delta")
        if (quantity is None) == (delta is None):
            problems.add("quantity", "Give exactly one of quantity (set) or delta (adjust).")
        problems.raise_if_any()
        if delta is None:
            delta = quantity - catalog.quantities(product, location).stock
        catalog.change(product, location, "stock control", stock=delta)
        return reply({"product_locations": catalog.product_locations(product)})

    def fulfil_now(book: DocumentBook):
        async def handler(request: web.Request) -> web.Response:
            document = book.find(request.match_info["number"])
            fulfilment = book.complete(book.create_fulfilment(document, await read_body(request)))
            return reply({book.fulfilment_kind: book.fulfilment_dict(fulfilment)}, 201)

        return handler

    return [
        web.get(f"{CONTROL_PREFIX}/state", summary),
        web.post(f"{CONTROL_PREFIX}/stock", set_stock),
        web.post(f"{CONTROL_PREFIX}/orders/{{number}}/ship", fulfil_now(state.orders)),
        web.post(f"{CONTROL_PREFIX}/purchase-orders/{{number}}/receive", fulfil_now(state.purchase_orders)),
    ]


