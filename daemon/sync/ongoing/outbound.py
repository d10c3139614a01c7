"""Rackbeat → Ongoing: the jobs that upsert one article, order or purchase order into one warehouse.

Each job re-reads the Rackbeat document (the poll that queued it may be old), maps it and PUTs the
full payload. The articles a document needs are upserted before it, so Ongoing never meets an
unknown article number; lines of products without inventory (shipping, fees) are left out. The
ledger keeps the hash of what Ongoing last accepted, so an unchanged document (e.g. an order whose
only change was our own shipment) costs no Ongoing upsert. An order or purchase order the warehouse
has started on is never overwritten: it is looked up first, and when started the ledger says so and
the change is only logged.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.errors import RetryableError, TerminalError
from daemon.logs.setup import get_logger
from daemon.queue.model import Job
from daemon.sync.ongoing.documents import ORDER, PURCHASE_ORDER, DocumentKind
from daemon.sync.ongoing.locks import exclusive
from daemon.sync.ongoing.mapping import article_payload, item_number, located_lines, payload_hash
from daemon.sync.ongoing.outbound_ledger import NOT_STOCKED, SENT, STARTED, OutboundLedger
from daemon.sync.ongoing.warehouses import Warehouse, Warehouses

ARTICLE_JOB, ORDER_JOB, PURCHASE_ORDER_JOB = "ongoing.article", "ongoing.order", "ongoing.purchase_order"
log = get_logger()

Payload = dict[str, Any]
Upsert = Callable[[Payload], Awaitable[int]]
Guard = Callable[[OutboundLedger], Awaitable[bool]]


class OutboundSender:
    """Handler of the three outbound job kinds; payload ``{"ongoing": config id, "number": ...}``."""

    def __init__(self, database: Database, rackbeat: RackbeatClient, warehouses: Warehouses) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._warehouses = warehouses

    async def handle(self, job: Job) -> None:
        warehouse = self._warehouses.by_id(job.payload["ongoing"])
        number = str(job.payload["number"])
        async with exclusive(self._database, f"{job.kind}:{warehouse.id}:{number}"):
            if job.kind == ARTICLE_JOB:
                await self.send_article(warehouse, number)
            else:
                await self.send_document(warehouse, ORDER if job.kind == ORDER_JOB else PURCHASE_ORDER, number)

    async def send_article(self, warehouse: Warehouse, number: str) -> None:
        product = await self._rackbeat.get_product(number)
        if product is None:
            log.info("ongoing.article.gone", ongoing=warehouse.id, article=number)
            return
        if product.get("inventory_enabled") is False:
            await self._ledger(warehouse, "article").not_stocked(number)
            return
        if await self._push(warehouse, "article", number, article_payload(product), warehouse.client.upsert_article):
            log.info("ongoing.article.sent", ongoing=warehouse.id, article=number)

    async def send_document(self, warehouse: Warehouse, kind: DocumentKind, number: str) -> None:
        bound = log.bind(ongoing=warehouse.id, **{kind.name: number})
        document = await kind.fetch(self._rackbeat, number)
        if document is None or not kind.is_open(document):
            bound.info(f"ongoing.{kind.name}.not_open")
            return
        location = warehouse.config.location
        not_stocked = await self._prepare_articles(warehouse, located_lines(document, location))
        payload = kind.build(document, location, not_stocked)
        if payload is None:
            bound.info(f"ongoing.{kind.name}.not_for_warehouse", location=location)
            return

        async def not_started(ledger: OutboundLedger) -> bool:
            found = await kind.find(warehouse.client, number)
            started = kind.started(found) if found else None
            if started is None:
                return True
            status = f"{started.status.get('number')} {started.status.get('text')}"
            note = f"warehouse has started (status {status}); changes not sent"
            await ledger.started(number, started.ongoing_id, note)
            bound.warning(f"ongoing.{kind.name}.started_not_overwritten", status=status)
            return False

        upsert = lambda body: kind.upsert(warehouse.client, body)  # noqa: E731
        ongoing_id = await self._push(warehouse, kind.name, number, payload, upsert, not_started)
        if ongoing_id is not None:
            lines = [(line["articleNumber"], line["numberOfItems"]) for line in payload[kind.lines_key]]
            bound.info(f"ongoing.{kind.name}.sent", ongoing_document_id=ongoing_id, lines=lines)

    async def _prepare_articles(self, warehouse: Warehouse, lines: list[Payload]) -> set[str]:
        """Upsert the articles these lines need that Ongoing does not have yet; returns the SKUs that
        are no articles at all (products without inventory), whose lines the warehouse never sees."""
        ledger = self._ledger(warehouse, "article")
        not_stocked = set()
        for number in sorted({item_number(line) for line in lines}):
            known = await ledger.get(number)
            if known is None or known.state not in (SENT, NOT_STOCKED):
                await self.send_article(warehouse, number)
                known = await ledger.get(number)
            if known is not None and known.state == NOT_STOCKED:
                not_stocked.add(number)
        return not_stocked

    async def _push(
        self, warehouse: Warehouse, kind: str, number: str, payload: Payload, upsert: Upsert, guard: Guard | None = None
    ) -> int | None:
        """Ongoing's id for the document, or None when nothing was sent (unchanged, started, guarded)."""
        ledger = self._ledger(warehouse, kind)
        previous = await ledger.get(number)
        digest = payload_hash(payload)
        if previous is not None and previous.state == STARTED:
            if previous.payload_hash != digest:  # changed in Rackbeat after the warehouse began: say so again
                log.warning(f"ongoing.{kind}.started_not_overwritten", ongoing=warehouse.id, number=number)
            return None
        if previous is not None and previous.state == SENT and previous.payload_hash == digest:
            return None
        if guard is not None and not await guard(ledger):
            return None
        try:
            ongoing_id = await upsert(payload)
        except RetryableError as exc:
            await ledger.failed(number, "retryable", exc.reason)
            raise
        except TerminalError as exc:
            await ledger.failed(number, "terminal", exc.reason)
            raise
        await ledger.sent(number, digest, ongoing_id)
        return ongoing_id

    def _ledger(self, warehouse: Warehouse, kind: str) -> OutboundLedger:
        return OutboundLedger(self._database.pool, warehouse.id, kind)
