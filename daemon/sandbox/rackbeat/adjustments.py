"""Inventory adjustments: a signed stock delta at one location, created as a draft and moved on booking.

The daemon writes its idempotency reference into ``description`` and finds it again with
``simple_filter[description]``, so the view keeps ``description`` and ``reason`` top-level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .catalog import Catalog, Location, Product
from .events import Event, Publish
from .failures import Problems, not_found, unprocessable
from .payload import Payload, int_or_none
from .stamps import Stamps, iso


@dataclass(eq=False)
class Adjustment:
    id: int
    product: Product
    location: Location
    quantity: Decimal
    reason: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime
    booked_at: datetime | None = None


class Adjustments:
    def __init__(self, catalog: Catalog, stamps: Stamps, publish: Publish) -> None:
        self.catalog = catalog
        self.stamps = stamps
        self.publish = publish
        self.records: dict[int, Adjustment] = {}
        self._ids = itertools.count(1)

    def find(self, key: str) -> Adjustment:
        adjustment = self.records.get(int_or_none(key))
        if adjustment is None:
            raise not_found("Inventory adjustment")
        return adjustment

    def create(self, body: dict[str, Any]) -> Adjustment:
        problems = Problems()
        data = Payload(body, problems)
        number = data.text("item_number", required=True)
        product = self.catalog.products.get(number) if number is not None else None
        if number is not None and product is None:
            problems.add("item_number", "The selected item number is invalid.")
        location = self.catalog.default_location
        if data.has("location_number"):
            location = self.catalog.locations.get(int_or_none(data.data["location_number"]))
            if location is None:
                problems.add("location_number", "The selected location number is invalid.")
        quantity = data.decimal("quantity", required=True, places=4)
        if quantity == 0:
            problems.add("quantity", "The quantity must not be 0.")
        reason = data.text("reason")
        description = data.text("description")
        problems.raise_if_any()
        now = self.stamps.next()
        adjustment = Adjustment(next(self._ids), product, location, quantity, reason, description, now, now)
        self.records[adjustment.id] = adjustment
        return adjustment

    def book(self, adjustment: Adjustment) -> Adjustment:
        if adjustment.booked_at is not None:
            raise unprocessable("is_booked", "Inventory adjustment is already booked.")
        if adjustment.product.number not in self.catalog.products:
            raise unprocessable("item_number", f"Product '{adjustment.product.number}' no longer exists.")
        adjustment.booked_at = adjustment.updated_at = self.stamps.next()
        self.catalog.change(adjustment.product, adjustment.location, "adjustment", stock=adjustment.quantity)
        self.publish(Event("inventory_adjustment.booked", adjustment.id, "id", {"id": adjustment.id}))
        return adjustment

    def to_dict(self, adjustment: Adjustment) -> dict[str, Any]:
        return {
            "id": adjustment.id,
            "item_number": adjustment.product.number,
            "item": {"number": adjustment.product.number, "name": adjustment.product.name},
            "location_number": adjustment.location.number,
            "location": adjustment.location.ref(),
            "quantity": adjustment.quantity,
            "reason": adjustment.reason,
            "description": adjustment.description,
            "is_booked": adjustment.booked_at is not None,
            "booked_at": iso(adjustment.booked_at),
            "regulated_at": iso(adjustment.booked_at),
            "created_at": iso(adjustment.created_at),
            "updated_at": iso(adjustment.updated_at),
        }
