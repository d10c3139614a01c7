"""``ongoing_adjustments``: one row per (warehouse, inventory, article), from intended to reported.

intended → booked in Rackbeat (its adjustment id kept) → reported to Ongoing (setReported done).
"""

from __future__ import annotations

from decimal import Decimal

import asyncpg

INTENDED, BOOKED, REPORTED = "intended", "booked", "reported"


class AdjustmentLedger:
    def __init__(self, pool: asyncpg.Pool, connection: str) -> None:
        self._pool = pool
        self._connection = connection

    async def record(self, inventory_id: int, article_id: int, article_number: str, quantity: Decimal) -> str:
        """The adjustment's state, recording it as intended when it is new."""
        return await self._pool.fetchval(
            """INSERT INTO ongoing_adjustments
                   (connection, inventory_id, article_system_id, article_number, quantity, state)
               VALUES ($1, $2, $3, $4, $5, 'intended')
               ON CONFLICT (connection, inventory_id, article_system_id)
                   DO UPDATE SET updated_at = ongoing_adjustments.updated_at
               RETURNING state""",
            self._connection,
            inventory_id,
            article_id,
            article_number,
            quantity,
        )

    async def advance(self, inventory_id: int, article_id: int, state: str, adjustment_id: int | None = None) -> None:
        await self._pool.execute(
            """UPDATE ongoing_adjustments
                  SET state = $4, rackbeat_adjustment_id = coalesce($5, rackbeat_adjustment_id), updated_at = now()
                WHERE connection = $1 AND inventory_id = $2 AND article_system_id = $3""",
            self._connection,
            inventory_id,
            article_id,
            state,
            adjustment_id,
        )
