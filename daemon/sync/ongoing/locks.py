"""The advisory-lock namespace of the Ongoing flows: one document or delivery is worked on by one job at a time."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from daemon.db.database import Database
from daemon.db.locks import ONGOING_LOCKS, try_session_lock
from daemon.errors import RetryableError


@asynccontextmanager
async def exclusive(database: Database, key: str) -> AsyncIterator[None]:
    """Run the block holding ``key``; another job holding it makes this one retry shortly."""
    async with try_session_lock(database.pool, ONGOING_LOCKS, key) as held:
        if not held:
            raise RetryableError(f"{key} is being worked on by another job", retry_after=1.0)
        yield
