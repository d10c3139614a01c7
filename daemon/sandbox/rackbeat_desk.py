"""What people in the merchant's back office do in Rackbeat: count and receive stock, ship orders,
buy goods for the 3PL warehouse.

Stock changes and shipments go through the emulator's ``/_sandbox`` routes (the Rackbeat UI); finding
the orders waiting to be shipped and booking purchase orders use the public API. Orders with goods on
the 3PL's location are not the desk's to ship: that warehouse ships them, and the daemon books it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import aiohttp

OPEN_ORDERS = {"is_booked": "true", "is_shipped": "false", "is_cancelled": "false", "limit": "50"}


class DeskError(RuntimeError):
    """The Rackbeat emulator refused a request."""


class RackbeatDesk:
    """``warehouse_location``: the Rackbeat location the 3PL warehouse holds."""

    def __init__(
        self, session: aiohttp.ClientSession, base_url: str, token: str, warehouse_location: int
    ) -> None:
        self.session = session
        self.base_url = base_url
        self.warehouse_location = warehouse_location
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def change_stock(self, sku: str, delta: int, location: int) -> Decimal:
        """Book ``delta`` at ``location``; returns the product's new stock there."""
        answer = await self._request(
            "POST", "/_sandbox/stock", json={"product": sku, "location": location, "delta": delta}
        )
        here = next(row for row in answer["product_locations"] if row["location_id"] == location)
        return Decimal(str(here["stock_quantity"]))

    async def open_orders(self) -> list[dict[str, Any]]:
        """Booked sales orders not (fully) shipped yet, oldest first; not those the 3PL ships."""
        answer = await self._request("GET", "/api/orders", params=OPEN_ORDERS)
        return [
            order
            for order in answer["orders"]
            if all(line["location_id"] != self.warehouse_location for line in order["lines"])
        ]

    async def ship(self, number: int, lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Ship ``lines`` (``[{line_id, quantity}]``) of the order, or everything still open."""
        body = {} if lines is None else {"lines": lines}
        return (await self._request("POST", f"/_sandbox/orders/{number}/ship", json=body))["order_shipment"]

    async def purchase(self, supplier: int, lines: list[tuple[str, int]]) -> dict[str, Any]:
        """Book a purchase order from ``supplier`` of ``(product, quantity)`` into the 3PL's location."""
        body = {
            "supplier_id": supplier,
            "lines": [
                {"item_id": sku, "quantity": quantity, "location_id": self.warehouse_location}
                for sku, quantity in lines
            ],
        }
        return (await self._request("POST", "/api/purchase-orders", json=body))["purchase_order"]

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        async with self.session.request(method, self.base_url + path, headers=self.headers, **kwargs) as response:
            answer = await response.json(content_type=None)
            if response.status >= 300:
                raise DeskError(f"{method} {path}: HTTP {response.status}: {answer}")
            return answer
