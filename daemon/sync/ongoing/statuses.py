"""Which of a warehouse's order statuses count as shipped, read from Ongoing once and kept.

Warehouses rename, renumber, add and delete statuses, so the configured numbers are checked against
the list Ongoing gives; the first shipments poll after start-up reads it.
"""

from __future__ import annotations

from daemon.logs.setup import get_logger
from daemon.sync.ongoing.reports import shipped_statuses
from daemon.sync.ongoing.warehouses import Warehouse

log = get_logger()


class ShippedStatuses:
    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        self._numbers: frozenset[int] | None = None

    async def numbers(self) -> frozenset[int]:
        if self._numbers is None:
            listed = await self._warehouse.client.order_statuses()
            configured = self._warehouse.config.shipped_statuses
            numbers = shipped_statuses(listed, configured)
            known = {int(status["number"]) for status in listed}
            bound = log.bind(ongoing=self._warehouse.id, configured=configured)
            if missing := sorted(set(configured) - known):
                bound.warning("ongoing.statuses.unknown", missing=missing, listed=sorted(known))
            texts = {int(s["number"]): s.get("text") for s in listed if int(s["number"]) in numbers}
            bound.info("ongoing.statuses.shipped", shipped=texts)
            self._numbers = numbers
        return self._numbers
