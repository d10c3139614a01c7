"""Writing products to Rackbeat, shared by the live flow and the initial sync.

Every write carries ``suppress_webhooks`` (the client's default for record writes). Once a product
exists, the orders parked on its SKU are released (``release``; repeating it is harmless, so it is
done whether we created the product or found it). Rackbeat refuses a number that exists, and that
refusal is how a create whose answer was lost, or a race with another writer, is recognised.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import structlog

from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.errors import TerminalApiError
from daemon.queue.store import JobQueue

log = structlog.get_logger()

Json = Mapping[str, Any]


def number_taken(error: TerminalApiError) -> bool:
    """Rackbeat's 422 ``{"errors": {"number": ["The number has already been taken."]}}``."""
    body = error.body if isinstance(error.body, dict) else {}
    messages = (body.get("errors") or {}).get("number") or []
    return error.status == 422 and any("taken" in str(message) for message in messages)


class RackbeatProducts:
    def __init__(self, rackbeat: RackbeatClient, queue: JobQueue, database: Database) -> None:
        self.rackbeat = rackbeat
        self._queue = queue
        self._database = database

    async def create(self, body: Json, *, shop_id: str) -> Json | None:
        """The new product, or None when a product with this number already exists."""
        number = str(body["number"])
        try:
            product = await self.rackbeat.create_product(dict(body))
        except TerminalApiError as exc:
            if number_taken(exc):
                return None
            raise
        log.info("product.created", target="rackbeat", shop=shop_id, sku=number)
        return product

    async def release(self, numbers: Iterable[str]) -> None:
        """Requeue the orders waiting for these products, on one connection."""
        async with self._database.pool.acquire() as conn:
            for number in numbers:
                await self._queue.release_blocked(f"sku:{number}", conn=conn)

    async def update(self, number: str, changes: Json, *, shop_id: str) -> Json:
        product = await self.rackbeat.update_product(number, dict(changes))
        log.info("product.updated", target="rackbeat", shop=shop_id, sku=number, fields=sorted(changes))
        return product
