"""Outbound orders: the ``PUT /orders`` upsert, cancellation, status changes, GetOrderModel output and
the ``GET /orders`` filters (including ``onlyOrdersWithOrderLinesToReport``: reported < picked).

Once the warehouse has started (status >= Released) an order refuses updates and cancellation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .errors import refused
from .lines import LineInput, merge_lines, read_lines
from .payload import Reader, read_upsert
from .query import Query
from .store import WAREHOUSE, ZERO, Order, OrderLine, Store
from .times import iso

ORDER_SKIP = frozenset({"goodsOwnerId", "orderNumber", "consignee", "orderLines"})
LINE_SKIP = frozenset({"rowNumber", "articleNumber", "numberOfItems"})
PRICE_NUMERIC = frozenset({"linePrice", "customerLinePrice", "discountPercentage", "totalVat"})
NOTIFICATIONS = ("emailNotification", "smsNotification", "telephoneNotification")
UPDATED_FROM_LIMIT = timedelta(days=2)


def upsert(store: Store, body: dict[str, Any]) -> tuple[Order, bool]:
    reader, number = read_upsert(body, store.goods_owner_id, "orderNumber")
    consignee = _read_consignee(reader)
    _read_order_fields(reader)
    inputs = read_lines(store, reader.children("orderLines"), _line_fields)
    reader.problems.raise_if_any()
    order = store.order_by_number(number)
    if order is not None:
        _refuse_if_started(store, order, "updated")
    now = store.stamps.next()
    fields = reader.echo(skip=ORDER_SKIP)
    consignee["id"] = store.customer_id(consignee.get("customerNumber"))
    created = order is None
    if order is None:
        status = store.order_statuses.open
        order = Order(next(store.order_ids), number, fields, consignee, {}, status, now, now, now)
        store.orders[order.id] = order
    else:
        order.fields, order.consignee, order.updated = fields, consignee, now
    before = [line.article for line in order.lines.values()]
    if inputs is not None:
        order.lines = merge_lines(order.lines, inputs, lambda given: _new_line(store, given), _update_line)
    store.touch_stock(before + [line.article for line in order.lines.values()])
    return order, created


def _read_consignee(reader: Reader) -> dict[str, Any]:
    consignee = reader.child("consignee")
    if consignee is None:
        reader.problems.add("consignee", "The consignee field is required.")
        return {}
    for key in ("customerNumber", "name", "address1", "address2", "address3", "postCode", "city", "countryCode"):
        consignee.text(key)
    consignee.child("invoiceAddress")
    advanced = consignee.child("advanced")
    if advanced is not None:
        _read_notifications(advanced)
    return consignee.echo()


def _read_order_fields(reader: Reader) -> None:
    delivery = reader.text("deliveryDate", required=True)
    if delivery and _parse_date(delivery) is None:
        reader.problems.add("deliveryDate", f"The value '{delivery}' is not a valid date.")
    for key in ("goodsOwnerOrderId", "referenceNumber", "orderRemark", "deliveryInstruction"):
        reader.text(key)
    advanced = reader.child("advanced")
    if advanced is not None:
        advanced.text("termsOfPaymentString")
        advanced.text("termsOfDeliveryString")
    _read_notifications(reader)


def _read_notifications(reader: Reader) -> None:
    for key in NOTIFICATIONS:
        notification = reader.child(key)
        if notification is not None:
            notification.boolean("toBeNotified")
            notification.text("value")


def _parse_date(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _line_fields(line: Reader) -> dict[str, Any]:
    line.text("externalId")
    fields = line.echo(skip=LINE_SKIP)
    prices = line.child("prices")
    if prices is not None:
        fields["prices"] = prices.echo(PRICE_NUMERIC)
    return fields


def _new_line(store: Store, given: LineInput) -> OrderLine:
    return OrderLine(next(store.order_line_ids), given.row, given.article, given.quantity, given.fields)


def _update_line(line: OrderLine, given: LineInput) -> None:
    line.article, line.ordered, line.fields = given.article, given.quantity, given.fields


def _refuse_if_started(store: Store, order: Order, verb: str) -> None:
    statuses = store.order_statuses
    if order.status == statuses.cancelled:
        raise refused(f"Order {order.number} is cancelled and cannot be {verb}.")
    if order.status >= statuses.released:
        raise refused(
            f"Order {order.number} cannot be {verb} since the warehouse has started working on it "
            f"(status {order.status} {statuses.text(order.status)})."
        )


def cancel(store: Store, order: Order) -> None:
    _refuse_if_started(store, order, "cancelled")
    store.set_status(order, store.order_statuses.cancelled)


def has_lines_to_report(order: Order) -> bool:
    return any((line.reported or ZERO) < line.picked for line in order.lines.values())


def view(store: Store, order: Order) -> dict[str, Any]:
    statuses = store.order_statuses
    lines = [_line_view(store, order, order_line) for order_line in order.lines.values()]
    waybills = [t["waybill"] for t in order.tracking]
    return {
        "goodsOwner": store.goods_owner(),
        "orderInfo": {
            **order.fields,
            "orderId": order.id,
            "orderNumber": order.number,
            "goodsOwnerOrderId": order.fields.get("goodsOwnerOrderId"),
            "createdDate": iso(order.created),
            "shippedTime": iso(order.shipped_time),
            "wayBill": waybills[-1] if waybills else None,
            "orderStatus": statuses.as_json(order.status),
            "orderedNumberOfItems": sum((ln["orderedNumberOfItems"] for ln in lines), ZERO),
            "allocatedNumberOfItems": sum((ln["allocatedNumberOfItems"] for ln in lines), ZERO),
            "pickedNumberOfItems": sum((ln["pickedNumberOfItems"] for ln in lines), ZERO),
            "warehouse": WAREHOUSE,
        },
        "consignee": order.consignee,
        "orderLines": lines,
        "tracking": order.tracking,
        "parcels": [],
        "classes": [],
    }


def _line_view(store: Store, order: Order, order_line: OrderLine) -> dict[str, Any]:
    statuses = store.order_statuses
    allocated = order.status != statuses.cancelled and order.status >= statuses.allocated
    return {
        **order_line.fields,
        "id": order_line.id,
        "rowNumber": order_line.row,
        "article": order_line.article.ref(),
        "orderedNumberOfItems": order_line.ordered,
        "allocatedNumberOfItems": order_line.unpicked if allocated else ZERO,
        "pickedNumberOfItems": order_line.picked,
        "packedNumberOfItems": order_line.picked if order.status >= statuses.sent else ZERO,
        "reportedNumberOfItems": order_line.reported,
        "returnedNumberOfItems": ZERO,
        "externalId": order_line.fields.get("externalId"),
        "prices": order_line.fields.get("prices"),
        "pickedArticleItems": [
            {
                "articleItemId": item.id,
                "numberOfItems": item.quantity,
                "batchNumber": None,
                "serial": None,
                "expiryDate": None,
                "isPicked": True,
                "isReturned": False,
                "pickedTime": iso(item.time),
                "location": "A-01-01",
            }
            for item in order_line.picked_items
        ],
    }


def select(store: Store, query: Query) -> list[Order]:
    query.goods_owner(store.goods_owner_id)
    numbers = set(query.texts("orderNumber")) | set(query.texts("orderNumbers"))
    status_from, status_to = query.integer("orderStatusFrom"), query.integer("orderStatusTo")
    status_changed_from = query.instant("orderStatusChangedTimeFrom")
    shipped_from, shipped_to = query.instant("shippedTimeFrom"), query.instant("shippedTimeTo")
    created_from, created_to = query.instant("orderCreatedTimeFrom"), query.instant("orderCreatedTimeTo")
    updated_from = query.instant("orderUpdatedTimeFrom")
    if updated_from is not None and updated_from < store.stamps.now() - UPDATED_FROM_LIMIT:
        query.problems.add("orderUpdatedTimeFrom", "orderUpdatedTimeFrom can be at most 2 days old.")
    to_report = query.flag("onlyOrdersWithOrderLinesToReport")

    def wanted(order: Order) -> bool:
        shipped = order.shipped_time
        return (
            (not numbers or order.number in numbers)
            and (status_from is None or order.status >= status_from)
            and (status_to is None or order.status <= status_to)
            and (status_changed_from is None or order.status_changed >= status_changed_from)
            and (shipped_from is None or (shipped is not None and shipped >= shipped_from))
            and (shipped_to is None or (shipped is not None and shipped <= shipped_to))
            and (created_from is None or order.created >= created_from)
            and (created_to is None or order.created <= created_to)
            and (updated_from is None or order.updated >= updated_from)
            and (not to_report or has_lines_to_report(order))
        )

    return query.page(filter(wanted, store.orders.values()), "orderIdFrom", "maxOrdersToGet")
