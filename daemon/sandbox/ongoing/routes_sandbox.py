"""``/_sandbox/...``: drive the warehouse side and inspect everything (not part of Ongoing's API).

- ``GET  /_sandbox/state``: articles, orders, purchase orders, adjustments (API shapes) and
  ``max_concurrency_seen``.
- ``POST /_sandbox/orders/{orderNumber}/status`` ``{"status"}``; ``.../pick`` ``{"lines"?: [{"rowNumber",
  "numberOfItems"}]}`` (all that is left without lines); ``.../ship`` ``{"waybill"?}``.
- ``POST /_sandbox/purchaseOrders/{purchaseOrderNumber}/status`` ``{"status"}``; ``.../receive`` ``{"lines"?}``.
- ``POST /_sandbox/inventoryAdjustments`` ``{"articleNumber", "numberOfItems", "cause"?: {code, name}, "comment"?}``.
- ``PUT  /_sandbox/articles/{articleNumber}/stock`` ``{"numberOfItems"}``: stock without an adjustment.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..common import CONTROL_PREFIX
from . import adjustments, articles, orders, purchase_orders
from .errors import Problems
from .middleware import InFlight
from .payload import Reader
from .store import Store
from .warehouse import Quantities, Warehouse
from .wire import read_body, reply


async def _reader(request: web.Request) -> Reader:
    return Reader(await read_body(request) if request.can_read_body else {}, Problems())


def _quantities(reader: Reader) -> Quantities | None:
    lines = reader.children("lines")
    if lines is None:
        return None
    quantities = {
        line.text("rowNumber", required=True) or "": line.number("numberOfItems", required=True) for line in lines
    }
    reader.problems.raise_if_any()
    return quantities  # type: ignore[return-value]


def _required_int(reader: Reader, key: str) -> int:
    value = reader.integer(key, required=True)
    reader.problems.raise_if_any()
    return value  # type: ignore[return-value]


def sandbox_routes(store: Store, warehouse: Warehouse, in_flight: InFlight) -> list[web.RouteDef]:
    def order_view(order) -> web.Response:
        return reply(orders.view(store, order))

    def purchase_order_view(purchase_order) -> web.Response:
        return reply(purchase_orders.view(store, purchase_order))

    async def state(_: web.Request) -> web.Response:
        body: dict[str, Any] = {
            "articles": [articles.view(store, a) for a in store.articles.values()],
            "orders": [orders.view(store, o) for o in store.orders.values()],
            "purchaseOrders": [purchase_orders.view(store, p) for p in store.purchase_orders.values()],
            "inventoryAdjustments": adjustments.grouped(store.adjustments),
            "max_concurrency_seen": in_flight.max_seen,
        }
        return reply(body)

    async def order_status(request: web.Request) -> web.Response:
        status = _required_int(await _reader(request), "status")
        return order_view(warehouse.set_order_status(request.match_info["number"], status))

    async def pick(request: web.Request) -> web.Response:
        quantities = _quantities(await _reader(request))
        return order_view(warehouse.pick(request.match_info["number"], quantities))

    async def ship(request: web.Request) -> web.Response:
        waybill = (await _reader(request)).text("waybill")
        return order_view(warehouse.ship(request.match_info["number"], waybill))

    async def purchase_order_status(request: web.Request) -> web.Response:
        status = _required_int(await _reader(request), "status")
        return purchase_order_view(warehouse.set_purchase_order_status(request.match_info["number"], status))

    async def receive(request: web.Request) -> web.Response:
        quantities = _quantities(await _reader(request))
        return purchase_order_view(warehouse.receive(request.match_info["number"], quantities))

    async def adjust(request: web.Request) -> web.Response:
        reader = await _reader(request)
        number = reader.text("articleNumber", required=True)
        delta = reader.number("numberOfItems", required=True)
        cause = reader.child("cause")
        comment = reader.text("comment")
        reader.problems.raise_if_any()
        cause_json = cause.echo() if cause else None
        adjustment = warehouse.adjust(number or "", delta, cause_json, comment)  # type: ignore[arg-type]
        return reply(adjustments.grouped([adjustment])[0])

    async def set_stock(request: web.Request) -> web.Response:
        reader = await _reader(request)
        quantity = reader.number("numberOfItems", required=True)
        reader.problems.raise_if_any()
        article = warehouse.set_stock(request.match_info["number"], quantity)  # type: ignore[arg-type]
        return reply(articles.view(store, article))

    return [
        web.get(f"{CONTROL_PREFIX}/state", state),
        web.post(f"{CONTROL_PREFIX}/orders/{{number}}/status", order_status),
        web.post(f"{CONTROL_PREFIX}/orders/{{number}}/pick", pick),
        web.post(f"{CONTROL_PREFIX}/orders/{{number}}/ship", ship),
        web.post(f"{CONTROL_PREFIX}/purchaseOrders/{{number}}/status", purchase_order_status),
        web.post(f"{CONTROL_PREFIX}/purchaseOrders/{{number}}/receive", receive),
        web.post(f"{CONTROL_PREFIX}/inventoryAdjustments", adjust),
        web.put(f"{CONTROL_PREFIX}/articles/{{number}}/stock", set_stock),
    ]
