"""The 'inbox' job: hand a stored delivery or polled change to the business handler for its topic.

Routing is an explicit mapping ``(source, topic) -> handler`` built by the program, e.g.
``("shopify", "orders/create")``, ``("woocommerce", "order.updated")``, ``("rackbeat", "inventory.changed")``,
``("poll", "shop.order")``. Handlers must be idempotent: a crash between the handler and
:meth:`InboxStore.mark` runs the job, and so the handler, again.

Inbox jobs running at the same time are dispatched together (:class:`BatchWriter`): their rows are
read together, and each handler's items are handled and marked together; a handler that can take
several items at once (a :class:`BatchInboxHandler`) gets them in one call. Each job still ends with its
own item's outcome.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import structlog

from daemon.db.batching import BatchWriter
from daemon.errors import TerminalError
from daemon.queue.model import Job
from daemon.webhooks.inbox import InboxRow, InboxStore
from daemon.webhooks.payload import PayloadError, parse_object

log = structlog.get_logger()  # lazy: follows configure_logging() done after import
_FINISHED = ("processed", "ignored")
Outcome = BaseException | None  # None: handled


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


@runtime_checkable
class BatchInboxHandler(InboxHandler, Protocol):
    async def handle_many(self, items: Sequence[InboxItem]) -> list[Outcome]:
        """Each item's outcome, in order: None, or the error ``handle`` would have raised for it."""


class InboxDispatcher:
    def __init__(
        self,
        inbox: InboxStore,
        routes: Mapping[tuple[str, str], InboxHandler],
        *,
        max_batch: int = 32,
        max_in_flight: int = 2,
    ) -> None:
        """Rows are read in batches, and each handler gets its items in batches of its own (at most
        ``max_in_flight`` at once per handler): a slow handler (a rate-limited shop) holds up only its
        own items."""
        self._inbox = inbox
        self._routes = dict(routes)
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._reads: BatchWriter[int, InboxRow | None] = self._batches(self._read)
        self._handlers: dict[InboxHandler, BatchWriter[InboxItem, Outcome]] = {}

    async def handle(self, job: Job) -> None:
        inbox_id = int(job.payload["inbox_id"])
        row = await self._reads.submit(inbox_id)
        if row is None:
            raise TerminalError(f"inbox row {inbox_id} does not exist", inbox_id=inbox_id)
        if row.status in _FINISHED:  # the job ran before and died before it could complete
            return
        handler = self._routes.get((row.source, row.topic))
        if handler is None:
            _bound(row).debug("inbox.ignored")
            await self._inbox.mark(inbox_id, "ignored", "no handler for this topic")
            return
        try:
            item = _item(row)
        except PayloadError as exc:
            raise await self._reject(_unread(row), TerminalError(str(exc), inbox_id=inbox_id)) from exc
        outcome = await self._batches_of(handler).submit(item)
        if outcome is not None:
            raise outcome

    def _batches(self, write):
        return BatchWriter(write, max_batch=self._max_batch, max_in_flight=self._max_in_flight, isolate=lambda exc: False)

    def _batches_of(self, handler: InboxHandler) -> BatchWriter[InboxItem, Outcome]:
        batches = self._handlers.get(handler)
        if batches is None:
            batches = self._handlers[handler] = self._batches(lambda items: self._handle(handler, items))
        return batches

    async def _read(self, inbox_ids: list[int]) -> list[InboxRow | None]:
        rows = await self._inbox.get_many(inbox_ids)
        return [rows.get(inbox_id) for inbox_id in inbox_ids]

    async def _handle(self, handler: InboxHandler, items: list[InboxItem]) -> list[Outcome]:
        outcomes = await _run(handler, items)
        processed: list[int] = []
        for item, outcome in zip(items, outcomes, strict=True):
            if isinstance(outcome, TerminalError):
                await self._reject(item, outcome)
            elif outcome is None:
                processed.append(item.inbox_id)
        if processed:
            await self._inbox.mark_many(processed, "processed")
        return outcomes

    async def _reject(self, item: InboxItem, error: TerminalError) -> TerminalError:
        """The row keeps the reason for the operator; the job is parked by the queue."""
        _bound(item).warning("inbox.rejected", reason=error.reason)
        await self._inbox.mark(item.inbox_id, "rejected", error.reason)
        return error


async def _run(handler: InboxHandler, items: list[InboxItem]) -> list[Outcome]:
    if isinstance(handler, BatchInboxHandler):
        return await handler.handle_many(items)
    return list(await asyncio.gather(*(handler.handle(item) for item in items), return_exceptions=True))


def _item(row: InboxRow) -> InboxItem:
    return InboxItem(row.id, row.source, row.connection, row.topic, parse_object(row.body), row.headers, row.received_at)


def _unread(row: InboxRow) -> InboxItem:
    """The row as an item whose body could not be read (for the rejection's log line and mark)."""
    return InboxItem(row.id, row.source, row.connection, row.topic, {}, row.headers, row.received_at)


def _bound(item: InboxRow | InboxItem) -> Any:
    inbox_id = item.inbox_id if isinstance(item, InboxItem) else item.id
    return log.bind(inbox_id=inbox_id, source=item.source, connection=item.connection, topic=item.topic)
