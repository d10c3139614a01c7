"""``fulfillmentCreate``: ship some or all of what fulfillment orders still hold."""

from __future__ import annotations

from typing import Any

from .ids import now_utc, parse_gid
from .lifecycle import order_changed
from .rest_json import fulfillment_json
from .store import Fulfillment, FulfillmentOrder, ShopState

FULFILLABLE_STATUSES = ("OPEN", "IN_PROGRESS")


class FulfillmentError(Exception):
    def __init__(self, message: str, *field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = ["fulfillment", *field]


def _fulfillment_order(state: ShopState, index: int, raw: dict[str, Any]) -> FulfillmentOrder:
    where = ("lineItemsByFulfillmentOrder", str(index), "fulfillmentOrderId")
    fulfillment_order = state.fulfillment_orders.get(parse_gid(raw["fulfillmentOrderId"], "FulfillmentOrder"))
    if fulfillment_order is None:
        raise FulfillmentError("Fulfillment order does not exist.", *where)
    if fulfillment_order.status not in FULFILLABLE_STATUSES:
        raise FulfillmentError("The fulfillment order is not in an open state.", *where)
    return fulfillment_order


def _planned_lines(
    index: int, fulfillment_order: FulfillmentOrder, raw: dict[str, Any]
) -> list[tuple[Any, int]]:
    """(FO line, quantity) pairs; omitting the line list means everything still remaining on the FO."""
    requested = raw.get("fulfillmentOrderLineItems")
    if requested is None:
        return [
            (line, line.remaining_quantity)
            for line in fulfillment_order.line_items
            if line.remaining_quantity
        ]
    by_id = {line.id: line for line in fulfillment_order.line_items}
    plan = []
    for line_index, item in enumerate(requested):
        where = ("lineItemsByFulfillmentOrder", str(index), "fulfillmentOrderLineItems", str(line_index))
        line = by_id.get(parse_gid(item["id"], "FulfillmentOrderLineItem"))
        if line is None:
            raise FulfillmentError(
                "Fulfillment order line item does not exist on this fulfillment order.", *where, "id"
            )
        if item["quantity"] < 1 or item["quantity"] > line.remaining_quantity:
            raise FulfillmentError(
                "Invalid fulfillment order line item quantity requested.", *where, "quantity"
            )
        plan.append((line, item["quantity"]))
    return plan


def create_fulfillment(state: ShopState, fulfillment_input: dict[str, Any]) -> Fulfillment:
    groups = fulfillment_input["lineItemsByFulfillmentOrder"]
    if not groups:
        raise FulfillmentError(
            "Line items by fulfillment order must not be empty.", "lineItemsByFulfillmentOrder"
        )
    fulfillment_orders = [_fulfillment_order(state, i, raw) for i, raw in enumerate(groups)]
    if len({(fo.order_id, fo.location_id) for fo in fulfillment_orders}) > 1:
        raise FulfillmentError(
            "All fulfillment orders in a fulfillment must belong to the same order and location.",
            "lineItemsByFulfillmentOrder",
        )
    plans = [_planned_lines(i, fo, raw) for i, (fo, raw) in enumerate(zip(fulfillment_orders, groups))]
    if not any(plans):
        raise FulfillmentError("There is nothing left to fulfill.", "lineItemsByFulfillmentOrder")

    order = state.orders[fulfillment_orders[0].order_id]
    location_id = fulfillment_orders[0].location_id
    shipped: list[tuple[int, int]] = []
    for fulfillment_order, plan in zip(fulfillment_orders, plans):
        for line, quantity in plan:
            line.remaining_quantity -= quantity
            shipped.append((line.line_item_id, quantity))
            _take_off_hand(state, order, line.line_item_id, location_id, quantity)
        done = all(line.remaining_quantity == 0 for line in fulfillment_order.line_items)
        fulfillment_order.status = "CLOSED" if done else "IN_PROGRESS"
        fulfillment_order.updated_at = now_utc()

    tracking = fulfillment_input.get("trackingInfo") or {}
    fulfillment = Fulfillment(
        id=state.next_id(),
        order_id=order.id,
        location_id=location_id,
        name=f"{order.name}.{len(order.fulfillment_ids) + 1}",
        lines=shipped,
        tracking_company=tracking.get("company"),
        tracking_number=tracking.get("number") or next(iter(tracking.get("numbers") or []), None),
        tracking_url=tracking.get("url") or next(iter(tracking.get("urls") or []), None),
    )
    state.fulfillments[fulfillment.id] = fulfillment
    order.fulfillment_ids.append(fulfillment.id)
    state.publish("fulfillments/create", fulfillment_json(state, fulfillment.id))
    status = state.fulfillment_status(order)
    order_changed(state, order, "orders/fulfilled" if status == "fulfilled" else "orders/partially_fulfilled")
    return fulfillment


def _take_off_hand(state: ShopState, order, line_item_id: int, location_id: int, quantity: int) -> None:
    """Shipping turns committed stock into gone stock: on_hand and committed drop, available stays."""
    variant = state.variants.get(state.line_item(order, line_item_id).variant_id)
    level = state.level(variant.inventory_item_id, location_id) if variant else None
    if level is not None:
        level.on_hand -= quantity
        level.committed -= quantity
