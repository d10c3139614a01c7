"""``ongoing_outbound``: per (warehouse, kind, number) what Ongoing last accepted, or why it did not."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

SENT, STARTED, FAILED, NOT_STOCKED = "sent", "started", "failed", "not_stocked"


@dataclass(frozen=True)
class Outbound:
    state: str
    payload_hash: str | None
    ongoing_id: int | None


class OutboundLedger:
    def __init__(self, pool: asyncpg.Pool, connection: str, kind: str) -> None:
        self._pool = pool
        self._key = (connection, kind)

    async def get(self, number: str) -> Outbound | None:
        row = await self._pool.fetchrow(
            """SELECT state, payload_hash, ongoing_id FROM ongoing_outbound
               WHERE connection = $1 AND kind = $2 AND number = $3""",
            *self._key,
            number,
        )
        return None if row is None else Outbound(row["state"], row["payload_hash"], row["ongoing_id"])

    async def sent(self, number: str, payload_hash: str, ongoing_id: int) -> None:
        await self._upsert(number, SENT, payload_hash=payload_hash, ongoing_id=ongoing_id)

    async def started(self, number: str, ongoing_id: int | None, note: str) -> None:
        """The warehouse is working on it: Ongoing refuses changes, so we stop sending them."""
        await self._upsert(number, STARTED, ongoing_id=ongoing_id, error=note)

    async def not_stocked(self, number: str) -> None:
        """A product without inventory (shipping, fees): no article, and no order line for the warehouse."""
        await self._upsert(number, NOT_STOCKED)

    async def failed(self, number: str, error_class: str, error: str) -> None:
        await self._upsert(number, FAILED, error_class=error_class, error=error)

    async def _upsert(
        self,
        number: str,
        state: str,
        *,
        payload_hash: str | None = None,
        ongoing_id: int | None = None,
        error_class: str | None = None,
        error: str | None = None,
    ) -> None:
        """Every call is one attempt; a success keeps the hash and clears the error."""
        await self._pool.execute(
            """INSERT INTO ongoing_outbound AS o
                   (connection, kind, number, state, payload_hash, ongoing_id, error_class, last_error, attempts,
                    sent_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, CASE WHEN $4 = 'sent' THEN now() END)
               ON CONFLICT (connection, kind, number) DO UPDATE SET
                   state = $4,
                   payload_hash = coalesce($5, o.payload_hash),
                   ongoing_id = coalesce($6, o.ongoing_id),
                   error_class = $7,
                   last_error = $8,
                   attempts = o.attempts + 1,
                   sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE o.sent_at END,
                   updated_at = now()""",
            *self._key,
            number,
            state,
            payload_hash,
            ongoing_id,
            error_class,
            error,
        )
