"""``/purchaseOrders``: upsert by purchaseOrderNumber, cancel, statuses and the reported-number PATCHes."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from . import purchase_orders
from .query import Query
from .reporting import line_by_id, read_reported, report_all
from .store import PurchaseOrder, Store
from .wire import read_body, reply


def purchase_order_routes(prefix: str, store: Store) -> list[web.RouteDef]:
    def target(request: web.Request) -> PurchaseOrder:
        return store.purchase_order(int(request.match_info["id"]))

    def done(purchase_order: PurchaseOrder, message: str) -> web.Response:
        return reply({"purchaseOrderId": purchase_order.id, "message": message})

    async def upsert(request: web.Request) -> web.Response:
        body = await read_body(request)
        if store.purchase_order_by_number(str(body.get("purchaseOrderNumber"))) is None:
            mark_create(request)
        purchase_order, created = purchase_orders.upsert(store, body)
        verb = "created" if created else "updated"
        return done(purchase_order, f"Inorder with order number {purchase_order.number} {verb}. <br/>")

    async def list_all(request: web.Request) -> web.Response:
        found = purchase_orders.select(store, Query(request.query))
        return reply([purchase_orders.view(store, po) for po in found])

    async def get_one(request: web.Request) -> web.Response:
        return reply(purchase_orders.view(store, target(request)))

    async def cancel(request: web.Request) -> web.Response:
        purchase_order = target(request)
        purchase_orders.cancel(store, purchase_order)
        return done(purchase_order, f"Inorder {purchase_order.number} cancelled.")

    async def statuses(_: web.Request) -> web.Response:
        listed = store.purchase_order_statuses
        return reply({"purchaseOrderStatuses": [listed.as_json(number) for number, _ in listed.entries]})

    async def report_line(request: web.Request) -> web.Response:
        purchase_order = target(request)
        lines = purchase_order.lines.values()
        line = line_by_id(lines, int(request.match_info["line_id"]), f"purchase order {purchase_order.id}")
        line.reported = read_reported(await read_body(request))
        purchase_order.updated = store.stamps.next()
        return done(purchase_order, f"Reported number of items set on line {line.id}.")

    async def report_received(request: web.Request) -> web.Response:
        purchase_order = target(request)
        report_all(purchase_order.lines.values(), lambda line: line.received)
        purchase_order.updated = store.stamps.next()
        return done(purchase_order, "Reported number of items set to received number of items.")

    one = prefix + r"/purchaseOrders/{id:\d+}"
    return [
        web.put(f"{prefix}/purchaseOrders", upsert),
        web.get(f"{prefix}/purchaseOrders", list_all),
        web.get(f"{prefix}/purchaseOrders/statuses", statuses),
        web.get(one, get_one),
        web.delete(one, cancel),
        web.patch(one + r"/lines/{line_id:\d+}/reportedNumberOfItems", report_line),
        web.patch(f"{one}/setReportedNumberOfItemsToReceivedNumberOfItems", report_received),
    ]
