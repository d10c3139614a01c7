"""Transactions whose commit need not wait for the disk.

For work whose outcome is recorded afterwards by a commit that does wait (a job's completion): that
later commit flushes the WAL up to and including this one, and until then a crash (of the machine,
not of the daemon) only means the job runs again. A commit that waits also holds PostgreSQL's one
NOTIFY lock through its disk flush, so a hot path that enqueues jobs commits far faster this way.
Never use it for state a remote call relies on (an idempotency mark written before a create).
"""

from __future__ import annotations

import contextlib
from typing import AsyncIterator

import asyncpg


# For a single statement run on its own (its own transaction): ``UPDATE t SET ... FROM {UNFLUSHED} WHERE ...``.
# The setting is local to that transaction, and a commit reads it before resetting it.
UNFLUSHED = "(SELECT set_config('synchronous_commit', 'off', true)) AS unflushed"


@contextlib.asynccontextmanager
async def unflushed_transaction(conn: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """``BEGIN`` and the setting in one round trip (the hot paths' transactions are a few statements).

    Not asyncpg's ``conn.transaction()``, which would send them one by one. Neither nests in the other
    (each refuses), so nothing commits a caller's transaction early by mistake."""
    if conn.is_in_transaction():
        raise asyncpg.InterfaceError("unflushed_transaction() cannot nest in a transaction already open")
    await conn.execute("BEGIN; SET LOCAL synchronous_commit TO off")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(Exception):  # a broken connection: the server ends the transaction
            await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


async def flush_commits(conn: asyncpg.Connection) -> None:
    """Wait until every commit made so far is on disk, for a caller with no later commit of its own
    (a command about to report what it did): a transaction that takes an id commits with a WAL record,
    and that commit waits for the WAL up to it."""
    async with conn.transaction():
        await conn.execute("SELECT txid_current()")
