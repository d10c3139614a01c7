"""The ``webhook_subscriptions`` rows: what the reconcile last saw, and Rackbeat's delivery tokens.

Tokens are read from the database on every Rackbeat delivery rather than cached, so a subscription
registered by any daemon process on this database is accepted by all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class StoredSubscription:
    remote_id: str
    token: str | None


class SubscriptionStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def rows(self, connection: str, address: str) -> dict[str, StoredSubscription]:
        """topic → what is stored for it."""
        records = await self._pool.fetch(
            """SELECT topic, remote_id, token FROM webhook_subscriptions
                WHERE connection = $1 AND address = $2""",
            connection,
            address,
        )
        return {r["topic"]: StoredSubscription(r["remote_id"], r["token"]) for r in records}

    async def record(
        self,
        connection: str,
        address: str,
        topic: str,
        remote_id: str,
        *,
        token: str | None = None,
        created: bool = False,
    ) -> None:
        """Seen (or ``created``) now; a ``token`` of None keeps the one stored, as only a create reveals it."""
        await self._pool.execute(
            """INSERT INTO webhook_subscriptions AS w (connection, address, topic, remote_id, token, created_at)
               VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END)
               ON CONFLICT (connection, address, topic) DO UPDATE
                  SET remote_id = EXCLUDED.remote_id,
                      token = coalesce(EXCLUDED.token, w.token),
                      created_at = coalesce(EXCLUDED.created_at, w.created_at),
                      last_checked_at = now()""",
            connection,
            address,
            topic,
            remote_id,
            token,
            created,
        )

    async def tokens(self, connection: str) -> set[str]:
        """At every address: a subscription made for another public URL may still reach this listener."""
        records = await self._pool.fetch(
            "SELECT token FROM webhook_subscriptions WHERE connection = $1 AND token IS NOT NULL", connection
        )
        return {r["token"] for r in records}
