"""The whole in-memory Rackbeat account; tests may inspect and change it directly.

Every domain part publishes :class:`Event` objects through :meth:`RackbeatState.publish`, which fans
them out to ``subscribers`` (the webhook dispatcher, or a test's recorder).
"""

from __future__ import annotations

import itertools
from typing import Any

from .adjustments import Adjustments
from .catalog import Catalog
from .events import Event, Publish
from .parties import Parties
from .purchasing import PurchaseOrders
from .sales import SalesOrders
from .stamps import Stamps
from .webhooks import WebhookRegistry


class RackbeatState:
    def __init__(
        self, *, stamps: Stamps | None = None, account_id: int = 10001, company_name: str = "Sandbox ApS"
    ) -> None:
        self.stamps = stamps or Stamps()
        self.account_id = account_id
        self.company_name = company_name
        self.subscribers: list[Publish] = []
        self.catalog = Catalog(self.stamps, self.publish)
        self.customers = Parties("customer", self.stamps, self.publish)
        self.suppliers = Parties("supplier", self.stamps, self.publish)
        line_ids = itertools.count(1)
        self.orders = SalesOrders(self.catalog, self.customers, self.stamps, self.publish, line_ids)
        self.purchase_orders = PurchaseOrders(self.catalog, self.suppliers, self.stamps, self.publish, line_ids)
        self.adjustments = Adjustments(self.catalog, self.stamps, self.publish)
        self.webhooks = WebhookRegistry(self.stamps)

    def publish(self, event: Event) -> None:
        for subscriber in self.subscribers:
            subscriber(event)

    def summary(self) -> dict[str, Any]:
        orders = self.orders.documents.values()
        return {
            "account_id": self.account_id,
            "products": len(self.catalog.products),
            "product_groups": len(self.catalog.groups),
            "locations": len(self.catalog.locations),
            "customers": len(self.customers.records),
            "suppliers": len(self.suppliers.records),
            "orders": len(orders),
            "booked_orders": sum(o.is_booked for o in orders),
            "shipped_orders": sum(o.is_done for o in orders),
            "order_shipments": len(self.orders.fulfilments),
            "customer_invoices": len(self.orders.invoices),
            "purchase_orders": len(self.purchase_orders.documents),
            "purchase_order_receipts": len(self.purchase_orders.fulfilments),
            "inventory_adjustments": len(self.adjustments.records),
            "webhooks": len(self.webhooks.hooks),
        }
