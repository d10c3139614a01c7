"""``/orders``: upsert by orderNumber, cancel, statuses, status PATCH and the reported-number PATCHes."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from . import orders
from .errors import Problems
from .payload import Reader
from .query import Query
from .reporting import line_by_id, read_reported, report_all
from .store import Order, Store
from .wire import read_body, reply


def order_routes(prefix: str, store: Store) -> list[web.RouteDef]:
    def target(request: web.Request) -> Order:
        return store.order(int(request.match_info["id"]))

    def done(order: Order, message: str) -> web.Response:
        return reply({"orderId": order.id, "message": message})

    async def upsert(request: web.Request) -> web.Response:
        body = await read_body(request)
        if store.order_by_number(str(body.get("orderNumber"))) is None:
            mark_create(request)
        order, created = orders.upsert(store, body)
        return done(order, f"Order number {order.number} {'created' if created else 'updated'}.")

    async def list_all(request: web.Request) -> web.Response:
        return reply([orders.view(store, o) for o in orders.select(store, Query(request.query))])

    async def get_one(request: web.Request) -> web.Response:
        return reply(orders.view(store, target(request)))

    async def cancel(request: web.Request) -> web.Response:
        order = target(request)
        orders.cancel(store, order)
        return done(order, f"Order {order.number} cancelled.")

    async def statuses(_: web.Request) -> web.Response:
        listed = store.order_statuses
        return reply({"orderStatuses": [listed.as_json(number) for number, _ in listed.entries]})

    async def set_status(request: web.Request) -> web.Response:
        order = target(request)
        reader = Reader(await read_body(request), Problems())
        number = reader.integer("orderStatusNumber", required=True)
        reader.problems.raise_if_any()
        store.set_status(order, store.order_statuses.require(number or 0, "orderStatusNumber"))
        return done(order, f"Order {order.number} status set to {number}.")

    async def report_line(request: web.Request) -> web.Response:
        order = target(request)
        line = line_by_id(order.lines.values(), int(request.match_info["line_id"]), f"order {order.id}")
        line.reported = read_reported(await read_body(request))
        order.updated = store.stamps.next()
        return done(order, f"Reported number of items set on line {line.id}.")

    async def report_picked(request: web.Request) -> web.Response:
        order = target(request)
        report_all(order.lines.values(), lambda line: line.picked)
        order.updated = store.stamps.next()
        return done(order, f"Reported number of items set to picked number of items on order {order.number}.")

    one = prefix + r"/orders/{id:\d+}"
    return [
        web.put(f"{prefix}/orders", upsert),
        web.get(f"{prefix}/orders", list_all),
        web.get(f"{prefix}/orders/statuses", statuses),
        web.get(one, get_one),
        web.delete(one, cancel),
        web.patch(f"{one}/orderStatus", set_status),
        web.patch(one + r"/lines/{line_id:\d+}/reportedNumberOfItems", report_line),
        web.patch(f"{one}/setReportedNumberOfItemsToPickedNumberOfItems", report_picked),
    ]
