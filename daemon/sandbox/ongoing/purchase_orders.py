"""Purchase orders (inorders): the ``PUT /purchaseOrders`` upsert, cancellation, the GET shape and the
``GET /purchaseOrders`` filters (including ``onlyPurchaseOrdersWithOrderLinesToReport``: reported != received).

A purchase order refuses updates and cancellation once receiving has started (status >= Inbound, or
anything received).
"""

from __future__ import annotations

from typing import Any

from .errors import refused
from .lines import LineInput, merge_lines, read_lines
from .payload import Reader, read_upsert
from .query import Query
from .store import ZERO, PurchaseOrder, PurchaseOrderLine, Store
from .times import iso

ORDER_SKIP = frozenset({"goodsOwnerId", "purchaseOrderNumber", "supplierInfo", "purchaseOrderLines"})
LINE_SKIP = frozenset({"rowNumber", "articleNumber", "numberOfItems"})
LINE_NUMERIC = frozenset({"rowPrice"})


def upsert(store: Store, body: dict[str, Any]) -> tuple[PurchaseOrder, bool]:
    reader, number = read_upsert(body, store.goods_owner_id, "purchaseOrderNumber")
    supplier = reader.child("supplierInfo")
    if supplier is not None:
        supplier.text("supplierNumber")
        supplier.text("supplierName")
        supplier.child("supplierAddress")
    for key in ("purchaseOrderRemark", "referenceNumber", "goodsOwnerReference", "inDate"):
        reader.text(key)
    reader.child("advanced")
    inputs = read_lines(store, reader.children("purchaseOrderLines"), _line_fields)
    reader.problems.raise_if_any()
    purchase_order = store.purchase_order_by_number(number)
    if purchase_order is not None:
        _refuse_if_started(store, purchase_order, "updated")
    now = store.stamps.next()
    fields = reader.echo(skip=ORDER_SKIP)
    supplier_info = supplier.echo() if supplier is not None else {}
    created = purchase_order is None
    if purchase_order is None:
        status = store.purchase_order_statuses.notified
        purchase_order = PurchaseOrder(
            next(store.purchase_order_ids), number, fields, supplier_info, {}, status, now, now, now
        )
        store.purchase_orders[purchase_order.id] = purchase_order
    else:
        purchase_order.fields, purchase_order.supplier, purchase_order.updated = fields, supplier_info, now
    before = [line.article for line in purchase_order.lines.values()]
    if inputs is not None:
        purchase_order.lines = merge_lines(
            purchase_order.lines, inputs, lambda given: _new_line(store, given), _update_line
        )
    store.touch_stock(before + [line.article for line in purchase_order.lines.values()])
    return purchase_order, created


def _line_fields(line: Reader) -> dict[str, Any]:
    line.text("externalOrderLineId")
    line.text("currencyCode")
    return line.echo(LINE_NUMERIC, LINE_SKIP)


def _new_line(store: Store, given: LineInput) -> PurchaseOrderLine:
    line_id = next(store.purchase_order_line_ids)
    return PurchaseOrderLine(line_id, given.row, given.article, given.quantity, given.fields)


def _update_line(line: PurchaseOrderLine, given: LineInput) -> None:
    line.article, line.advised, line.fields = given.article, given.quantity, given.fields


def _refuse_if_started(store: Store, purchase_order: PurchaseOrder, verb: str) -> None:
    statuses = store.purchase_order_statuses
    if purchase_order.status == statuses.cancelled:
        raise refused(f"Purchase order {purchase_order.number} is cancelled and cannot be {verb}.")
    receiving = any(line.received for line in purchase_order.lines.values())
    if receiving or purchase_order.status >= statuses.inbound:
        raise refused(
            f"Purchase order {purchase_order.number} cannot be {verb} since receiving has started "
            f"(status {purchase_order.status} {statuses.text(purchase_order.status)})."
        )


def cancel(store: Store, purchase_order: PurchaseOrder) -> None:
    _refuse_if_started(store, purchase_order, "cancelled")
    store.set_status(purchase_order, store.purchase_order_statuses.cancelled)


def has_lines_to_report(purchase_order: PurchaseOrder) -> bool:
    return any((line.reported or ZERO) != line.received for line in purchase_order.lines.values())


def view(store: Store, purchase_order: PurchaseOrder) -> dict[str, Any]:
    return {
        "goodsOwner": store.goods_owner(),
        "supplierInfo": purchase_order.supplier,
        "purchaseOrderInfo": {
            **purchase_order.fields,
            "purchaseOrderId": purchase_order.id,
            "purchaseOrderNumber": purchase_order.number,
            "purchaseOrderStatus": store.purchase_order_statuses.as_json(purchase_order.status),
            "createdDate": iso(purchase_order.created),
            "lastReceiveTime": iso(purchase_order.last_received),
        },
        "purchaseOrderLines": [_line_view(po_line) for po_line in purchase_order.lines.values()],
    }


def _line_view(po_line: PurchaseOrderLine) -> dict[str, Any]:
    return {
        **po_line.fields,
        "id": po_line.id,
        "rowNumber": po_line.row,
        "article": po_line.article.ref(),
        "advisedNumberOfItems": po_line.advised,
        "receivedNumberOfItems": po_line.received,
        "reportedNumberOfItems": po_line.reported,
        "externalOrderLineId": po_line.fields.get("externalOrderLineId"),
        "articleItems": [
            {"originalArticleItemId": item.id, "numberOfItems": item.quantity, "inDate": iso(item.time),
             "batchNumber": None, "serial": None, "expiryDate": None, "location": "IN-01"}
            for item in po_line.received_items
        ],  # fmt: skip
    }


def select(store: Store, query: Query) -> list[PurchaseOrder]:
    query.goods_owner(store.goods_owner_id)
    numbers = set(query.texts("purchaseOrderNumber")) | set(query.texts("purchaseOrderNumbers"))
    status_from = query.integer("purchaseOrderStatusFrom")
    status_to = query.integer("purchaseOrderStatusTo")
    status_changed_from = query.instant("purchaseOrderStatusChangedTimeFrom")
    received_from, received_to = query.instant("lastReceiveTimeFrom"), query.instant("lastReceiveTimeTo")
    to_report = query.flag("onlyPurchaseOrdersWithOrderLinesToReport")

    def wanted(po: PurchaseOrder) -> bool:
        received = po.last_received
        return (
            (not numbers or po.number in numbers)
            and (status_from is None or po.status >= status_from)
            and (status_to is None or po.status <= status_to)
            and (status_changed_from is None or po.status_changed >= status_changed_from)
            and (received_from is None or (received is not None and received >= received_from))
            and (received_to is None or (received is not None and received <= received_to))
            and (not to_report or has_lines_to_report(po))
        )

    return query.page(filter(wanted, store.purchase_orders.values()), "purchaseOrderIdFrom", "maxPurchaseOrdersToGet")
