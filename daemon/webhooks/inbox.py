"""The durable inbox: webhook deliveries and polled changes, stored once, each with its 'inbox' job.

Rows and their jobs are written by one statement, so they commit together and the caller may
acknowledge as soon as :meth:`InboxStore.store` returns. Concurrent stores share that statement
(:class:`BatchWriter`). The unique (source, connection, delivery_id) makes a redelivery a no-op: no
second row, no second job. Connection failures surface as
:data:`daemon.db.database.CONNECTION_ERRORS` (the webhook server answers 503, pollers retry).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import Iterable, Literal, NamedTuple, Sequence

from daemon.db.batching import BatchWriter
from daemon.db.commits import UNFLUSHED
from daemon.db.database import CONNECTION_ERRORS, Database

INBOX_JOB = "inbox"
Status = Literal["received", "processed", "rejected", "ignored"]

# One round trip for a whole batch. Rows go in key order so that concurrent batches take their unique
# index locks in the same order and cannot deadlock; a job is queued only for a new, processable row.
_INSERT = f"""
WITH given AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[],
                         $7::text[], $8::text[])
             AS g(source, connection, delivery_id, topic, headers, body, status, reason)
), row AS (
    INSERT INTO inbox (source, connection, delivery_id, topic, headers, body, status, reason)
    SELECT source, connection, delivery_id, topic, headers::jsonb, body, status, reason FROM given
    ORDER BY source, connection, delivery_id
    ON CONFLICT (source, connection, delivery_id) DO NOTHING
    RETURNING id, source, connection, delivery_id, status
), job AS (  -- no connection: the inbox job only touches the database, so no rate limit may hold it up
    INSERT INTO jobs (kind, connection, payload)
    SELECT '{INBOX_JOB}', NULL, jsonb_build_object('inbox_id', id) FROM row WHERE status = 'received'
)
SELECT id, source, connection, delivery_id FROM row
"""


class NewRow(NamedTuple):
    source: str
    connection: str
    delivery_id: str
    topic: str
    headers: str  # JSON text
    body: bytes
    status: Status
    reason: str | None


@dataclass(frozen=True)
class InboxRow:
    id: int
    source: str
    connection: str
    delivery_id: str
    topic: str
    headers: dict[str, str]
    body: bytes
    status: Status
    reason: str | None
    received_at: dt.datetime
    processed_at: dt.datetime | None


_ROW_COLUMNS = ", ".join(f.name for f in fields(InboxRow))


class InboxStore:
    def __init__(
        self, database: Database, *, timeout: float = 5.0, max_batch: int = 64, max_in_flight: int = 4
    ) -> None:
        """``timeout`` bounds one write (Shopify gives up after 5 s). ``max_in_flight`` is how many pool
        connections concurrent stores may hold at once; ``max_batch`` keeps a statement of maximal
        bodies (64 x 2 MiB) far below PostgreSQL's 1 GB limit for one array."""
        self._database = database
        self._timeout = timeout
        self._writer: BatchWriter[NewRow, int | None] = BatchWriter(
            self._insert,
            max_batch=max_batch,
            max_in_flight=max_in_flight,
            isolate=lambda exc: not isinstance(exc, CONNECTION_ERRORS),
        )

    async def store(
        self, source: str, connection: str, delivery_id: str, topic: str, body: bytes, headers: dict[str, str]
    ) -> int | None:
        """Store a delivery and queue its processing; the new row's id, or ``None`` if stored before."""
        return await self._writer.submit(
            NewRow(source, connection, delivery_id, topic, json.dumps(headers), body, "received", None)
        )

    async def store_rejected(
        self,
        source: str,
        connection: str,
        delivery_id: str,
        topic: str,
        body: bytes,
        headers: dict[str, str],
        reason: str,
    ) -> int | None:
        """Keep an authentic but unusable delivery for the operator; nothing is queued."""
        return await self._writer.submit(
            NewRow(source, connection, delivery_id, topic, json.dumps(headers), body, "rejected", reason)
        )

    async def _insert(self, rows: list[NewRow]) -> list[int | None]:
        async with asyncio.timeout(self._timeout):
            records = await self._database.pool.fetch(_INSERT, *(list(column) for column in zip(*rows)))
        inserted = {(r["source"], r["connection"], r["delivery_id"]): r["id"] for r in records}
        # a key given twice in one batch: the first caller gets the row, the others are duplicates
        return [inserted.pop((row.source, row.connection, row.delivery_id), None) for row in rows]

    async def mark(self, inbox_id: int, status: Status, reason: str | None = None) -> None:
        await self.mark_many([inbox_id], status, reason)

    async def mark_many(self, inbox_ids: Sequence[int], status: Status, reason: str | None = None) -> None:
        """Unflushed: the inbox jobs' outcomes, committed after it, flush it (see ``daemon.db.commits``)."""
        await self._database.pool.execute(
            f"""UPDATE inbox SET status = $2, reason = $3, processed_at = now() FROM {UNFLUSHED}
                WHERE id = ANY($1::bigint[])""",
            list(inbox_ids),
            status,
            reason,
        )

    async def get(self, inbox_id: int) -> InboxRow | None:
        return (await self.get_many([inbox_id])).get(inbox_id)

    async def get_many(self, inbox_ids: Sequence[int]) -> dict[int, InboxRow]:
        records = await self._database.pool.fetch(
            f"SELECT {_ROW_COLUMNS} FROM inbox WHERE id = ANY($1::bigint[])", list(inbox_ids)
        )
        return {r["id"]: InboxRow(**{**dict(r), "headers": json.loads(r["headers"])}) for r in records}

    async def last_webhook_per_connection(self, connections: Iterable[str]) -> dict[str, dt.datetime | None]:
        """When each connection last delivered a webhook (polled rows don't count); None if never."""
        records = await self._database.pool.fetch(
            """SELECT c.name, (SELECT max(received_at) FROM inbox
                               WHERE inbox.connection = c.name AND inbox.source <> 'poll') AS last
               FROM unnest($1::text[]) AS c(name)""",
            list(connections),
            timeout=self._timeout,
        )
        return {r["name"]: r["last"] for r in records}
