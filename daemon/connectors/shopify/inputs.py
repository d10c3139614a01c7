"""Mutation inputs built from the daemon's plain values (ids as REST numbers or gids).

``inventorySetQuantities`` changed contract in 2026-04: before, ``ignoreCompareQuantity`` skips the
compare-and-set; from then on every quantity must carry ``changeFromQuantity`` (``null`` skips it). The
daemon's stock push is the source of truth, so it never compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from daemon.connectors.shopify.ids import to_gid

MAX_INPUT_ITEMS = 250  # Shopify's cap on every input array
CHANGE_FROM_QUANTITY_SINCE = "2026-04"

Quantity = tuple[str | int, str | int, int]  # (inventory item, location, quantity)
FulfillmentLines = Mapping[str | int, Sequence[tuple[str | int, int]] | None]


@dataclass(frozen=True)
class Tracking:
    company: str | None = None
    number: str | None = None
    url: str | None = None

    def as_input(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}


def set_quantities_input(
    quantities: Sequence[Quantity],
    *,
    api_version: str,
    reason: str,
    name: str = "available",
    reference_document_uri: str | None = None,
) -> dict[str, Any]:
    if len(quantities) > MAX_INPUT_ITEMS:
        raise ValueError(f"{len(quantities)} quantities in one inventorySetQuantities; at most {MAX_INPUT_ITEMS}")
    change_from = api_version == "unstable" or api_version >= CHANGE_FROM_QUANTITY_SINCE
    rows = []
    for item_id, location_id, quantity in quantities:
        row: dict[str, Any] = {
            "inventoryItemId": to_gid("InventoryItem", item_id),
            "locationId": to_gid("Location", location_id),
            "quantity": int(quantity),
        }
        if change_from:
            row["changeFromQuantity"] = None
        rows.append(row)
    payload: dict[str, Any] = {"name": name, "reason": reason, "quantities": rows}
    if not change_from:
        payload["ignoreCompareQuantity"] = True
    if reference_document_uri:
        payload["referenceDocumentUri"] = reference_document_uri
    return payload


def fulfillment_input(
    lines_by_fulfillment_order: FulfillmentLines, tracking: Tracking | None, notify_customer: bool
) -> dict[str, Any]:
    """``{fulfillment order: [(fulfillment order line, quantity)]}``; ``None`` lines = all that remains."""
    if not lines_by_fulfillment_order:
        raise ValueError("a fulfillment needs at least one fulfillment order")
    groups = []
    for fulfillment_order_id, lines in lines_by_fulfillment_order.items():
        group: dict[str, Any] = {"fulfillmentOrderId": to_gid("FulfillmentOrder", fulfillment_order_id)}
        if lines is not None:
            group["fulfillmentOrderLineItems"] = [
                {"id": to_gid("FulfillmentOrderLineItem", line_id), "quantity": int(quantity)}
                for line_id, quantity in lines
            ]
        groups.append(group)
    fulfillment: dict[str, Any] = {"lineItemsByFulfillmentOrder": groups, "notifyCustomer": notify_customer}
    if tracking is not None and tracking.as_input():
        fulfillment["trackingInfo"] = tracking.as_input()
    return fulfillment
