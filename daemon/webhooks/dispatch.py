"""The 'inbox' job: hand a stored delivery or polled change to the business handler for its topic.

Routing is an explicit mapping ``(source, topic) -> handler`` built by the program, e.g.
``("shopify", "orders/create")``, ``("woocommerce", "order.updated")``, ``("rackbeat", "inventory.changed")``,
``("poll", "shop.order")``. Handlers must be idempotent: a crash between the handler and
:meth:`InboxStore.mark` runs the job, and so the handler, again.

Inbox jobs running at the same time are dispatched together (:class:`BatchWriter`): one read of their
rows, one status write per handler, and a handler that can take several items at once (a
:class:`BatchInboxHandler`) gets them in one call. Each job still ends with its own item's outcome.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import structlog

from daemon.errors import TerminalError
from daemon.queue.model import Job
from daemon.webhooks.batching import BatchWriter
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
        self._inbox = inbox
        self._routes = dict(routes)
        self._batches: BatchWriter[int, asyncio.Future[Outcome]] = BatchWriter(
            self._dispatch, max_batch=max_batch, max_in_flight=max_in_flight, isolate=lambda exc: False
        )
        self._groups: set[asyncio.Task[None]] = set()

    async def handle(self, job: Job) -> None:
        outcome = await (await self._batches.submit(int(job.payload["inbox_id"])))
        if outcome is not None:
            raise outcome

    async def _dispatch(self, inbox_ids: list[int]) -> list[asyncio.Future[Outcome]]:
        """Read the batch and start each handler on its items; an item's outcome is ready as soon as its
        own handler is done, so a slow one (a rate-limited shop) holds up nobody else."""
        rows = await self._inbox.get_many(inbox_ids)
        loop = asyncio.get_running_loop()
        outcomes: dict[int, asyncio.Future[Outcome]] = {inbox_id: loop.create_future() for inbox_id in inbox_ids}
        work: dict[InboxHandler, list[InboxItem]] = {}
        ignored: list[int] = []
        for inbox_id in outcomes:
            row = rows.get(inbox_id)
            if row is None:
                _settle(outcomes[inbox_id], TerminalError(f"inbox row {inbox_id} does not exist", inbox_id=inbox_id))
            elif row.status in _FINISHED:  # the job ran before and died before it could complete
                _settle(outcomes[inbox_id], None)
            elif (handler := self._routes.get((row.source, row.topic))) is None:
                _bound(row).debug("inbox.ignored")
                ignored.append(inbox_id)
            else:
                try:
                    work.setdefault(handler, []).append(_item(row))
                except PayloadError as exc:
                    _settle(outcomes[inbox_id], await self._reject(row, TerminalError(str(exc), inbox_id=inbox_id)))
        if ignored:
            await self._inbox.mark_many(ignored, "ignored", "no handler for this topic")
            for inbox_id in ignored:
                _settle(outcomes[inbox_id], None)
        for handler, items in work.items():
            group = asyncio.create_task(self._handle_group(handler, items, rows, outcomes))
            self._groups.add(group)
            group.add_done_callback(self._groups.discard)
        return [outcomes[inbox_id] for inbox_id in inbox_ids]

    async def _handle_group(
        self,
        handler: InboxHandler,
        items: list[InboxItem],
        rows: Mapping[int, InboxRow],
        outcomes: Mapping[int, asyncio.Future[Outcome]],
    ) -> None:
        try:
            results = await _run(handler, items)
            processed: list[int] = []
            for item, outcome in zip(items, results, strict=True):
                if isinstance(outcome, TerminalError):
                    await self._reject(rows[item.inbox_id], outcome)
                elif outcome is None:
                    processed.append(item.inbox_id)
            if processed:
                await self._inbox.mark_many(processed, "processed")
        except BaseException as exc:  # the group's own writes failed: every item of it runs again
            for item in items:
                _settle(outcomes[item.inbox_id], exc)
            if not isinstance(exc, Exception):
                raise  # cancelled: the process is stopping
            return
        for item, outcome in zip(items, results, strict=True):
            _settle(outcomes[item.inbox_id], outcome)

    async def _reject(self, row: InboxRow, error: TerminalError) -> TerminalError:
        """The row keeps the reason for the operator; the job is parked by the queue."""
        _bound(row).warning("inbox.rejected", reason=error.reason)
        await self._inbox.mark(row.id, "rejected", error.reason)
        return error


def _settle(future: asyncio.Future[Outcome], outcome: Outcome) -> None:
    if not future.done():  # cancelled when its job was (shutdown, lost lease)
        future.set_result(outcome)


async def _run(handler: InboxHandler, items: list[InboxItem]) -> list[Outcome]:
    if isinstance(handler, BatchInboxHandler):
        return await handler.handle_many(items)
    return list(await asyncio.gather(*(handler.handle(item) for item in items), return_exceptions=True))


def _item(row: InboxRow) -> InboxItem:
    payload = parse_object(row.body)
    return InboxItem(row.id, row.source, row.connection, row.topic, payload, row.headers, row.received_at)


def _bound(row: InboxRow) -> Any:
    return log.bind(inbox_id=row.id, source=row.source, connection=row.connection, topic=row.topic)
