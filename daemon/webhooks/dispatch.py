"""The 'inbox' job: hand a stored delivery or polled change to the business handler for its topic.

Routing is an explicit mapping ``(source, topic) -> handler`` built by the program, e.g.
``("shopify", "orders/create")``, ``("woocommerce", "order.updated")``, ``("rackbeat", "inventory.changed")``,
``("poll", "shop.order")``. Handlers must be idempotent: a crash between the handler and
:meth:`InboxStore.mark` runs the job, and so the handler, again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Protocol

import structlog

from daemon.errors import TerminalError
from daemon.queue.model import Job
from daemon.webhooks.inbox import InboxStore
from daemon.webhooks.payload import PayloadError, parse_object

log = structlog.get_logger()  # lazy: follows configure_logging() done after import
_FINISHED = ("processed", "ignored")


@dataclass(frozen=True)
class InboxItem:
    inbox_id: int
    source: str
    connection: str
    topic: str
    payload: dict[str, Any]
    headers: dict[str, str]
    received_at: dt.datetime


class InboxHandler(Protocol):
    async def handle(self, item: InboxItem) -> None:
        """Raise RetryableError to be retried, TerminalError to park the item for the operator."""


class InboxDispatcher:
    def __init__(self, inbox: InboxStore, routes: Mapping[tuple[str, str], InboxHandler]) -> None:
        self._inbox = inbox
        self._routes = dict(routes)

    async def handle(self, job: Job) -> None:
        inbox_id = int(job.payload["inbox_id"])
        row = await self._inbox.get(inbox_id)
        if row is None:
            raise TerminalError(f"inbox row {inbox_id} does not exist", inbox_id=inbox_id)
        if row.status in _FINISHED:  # the job ran before and died before it could complete
            return
        bound = log.bind(inbox_id=inbox_id, source=row.source, connection=row.connection, topic=row.topic)
        handler = self._routes.get((row.source, row.topic))
        if handler is None:
            bound.debug("inbox.ignored")
            await self._inbox.mark(inbox_id, "ignored", "no handler for this topic")
            return
        try:
            payload = parse_object(row.body)
        except PayloadError as exc:
            await self._reject(inbox_id, str(exc), bound)
            raise TerminalError(str(exc), inbox_id=inbox_id) from exc
        item = InboxItem(inbox_id, row.source, row.connection, row.topic, payload, row.headers, row.received_at)
        try:
            await handler.handle(item)
        except TerminalError as exc:
            await self._reject(inbox_id, exc.reason, bound)
            raise
        await self._inbox.mark(inbox_id, "processed")

    async def _reject(self, inbox_id: int, reason: str, bound: Any) -> None:
        """The row keeps the reason for the operator; the job is parked by the queue."""
        bound.warning("inbox.rejected", reason=reason)
        await self._inbox.mark(inbox_id, "rejected", reason)
