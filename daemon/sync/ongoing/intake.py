"""Rackbeat polls → one outbound job per warehouse that wants the document.

The cheap checks on the polled JSON (open, a line on the warehouse's location) keep
unrelated documents from costing a job; the job re-reads the document and decides for real.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from daemon.config.model import OngoingConfig
from daemon.queue.store import JobQueue
from daemon.sync.ongoing.documents import ORDER, PURCHASE_ORDER
from daemon.sync.ongoing.mapping import located_lines
from daemon.sync.ongoing.outbound import ARTICLE_JOB, ORDER_JOB, PURCHASE_ORDER_JOB
from daemon.sync.ongoing.warehouses import Warehouses
from daemon.webhooks.dispatch import InboxItem

Record = Mapping[str, Any]
Wanted = Callable[[Record, OngoingConfig], bool]


def product_wanted(product: Record, config: OngoingConfig) -> bool:
    return config.flows.products and product.get("inventory_enabled", True) is not False


def order_wanted(order: Record, config: OngoingConfig) -> bool:
    return config.flows.orders and ORDER.is_open(order) and bool(located_lines(order, config.location))


def purchase_order_wanted(purchase_order: Record, config: OngoingConfig) -> bool:
    return (
        config.flows.purchase_orders
        and PURCHASE_ORDER.is_open(purchase_order)
        and bool(located_lines(purchase_order, config.location))
    )


class PushIntake:
    """Inbox handler for one polled Rackbeat topic: queue ``job_kind`` for each warehouse that wants it."""

    def __init__(self, queue: JobQueue, warehouses: Warehouses, job_kind: str, wanted: Wanted) -> None:
        self._queue = queue
        self._warehouses = warehouses
        self._job_kind = job_kind
        self._wanted = wanted

    async def handle(self, item: InboxItem) -> None:
        record = item.payload
        number = record.get("number")
        if number is None:
            return
        for warehouse in self._warehouses.all:
            if self._wanted(record, warehouse.config):
                await self._queue.enqueue(
                    self._job_kind,
                    {"ongoing": warehouse.id, "number": str(number)},
                    connection=warehouse.connection,
                    dedupe_key=f"{self._job_kind}:{warehouse.id}:{number}",
                )


def push_intakes(queue: JobQueue, warehouses: Warehouses) -> dict[str, PushIntake]:
    """Polled Rackbeat topic → its intake."""
    return {
        "rackbeat.product": PushIntake(queue, warehouses, ARTICLE_JOB, product_wanted),
        "rackbeat.order": PushIntake(queue, warehouses, ORDER_JOB, order_wanted),
        "rackbeat.purchase_order": PushIntake(queue, warehouses, PURCHASE_ORDER_JOB, purchase_order_wanted),
    }
