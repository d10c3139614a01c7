"""Ongoing's order webhook (static ``X-Auth-Token``, checked by the listener) as an early poll.

It names the order by the number we gave it (``goodsOwnerOrderId``); the order is looked up and
settled like a polled one. Nothing depends on it: the shipments poll finds the same order anyway,
and the delivery ledger makes the second sighting a no-op.
"""

from __future__ import annotations

from daemon.sync.ongoing.deliveries import DeliveryFlow
from daemon.sync.ongoing.warehouses import Warehouses
from daemon.webhooks.dispatch import InboxItem

ORDER_WEBHOOK_TOPIC = "order"  # route ("ongoing", "order"), connection "ongoing:{id}"


class OrderWebhook:
    def __init__(self, warehouses: Warehouses, shipments: DeliveryFlow) -> None:
        self._warehouses = warehouses
        self._shipments = shipments

    async def handle(self, item: InboxItem) -> None:
        warehouse = self._warehouses.by_connection(item.connection)
        number = item.payload.get("goodsOwnerOrderId") or item.payload.get("orderNumber")
        if not number or not warehouse.config.flows.shipments:
            return
        found = await warehouse.client.find_order(str(number))
        if found is not None:
            await self._shipments.settle(warehouse, int(found["orderInfo"]["orderId"]))
