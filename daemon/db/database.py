"""The connection pool, with the embedded server behind it when no URL is configured.

asyncpg replaces a broken connection on the next acquire, so a database restart or a
``pg_terminate_backend`` costs the callers one failed attempt each; they treat
:data:`CONNECTION_ERRORS` as retryable and nothing committed is lost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import backoff

from daemon.db.embedded import EmbeddedPostgres
from daemon.db.migrate import migrate
from daemon.logs.setup import get_logger

log = get_logger()

CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.ConnectionFailureError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.InternalClientError,  # a query racing the server's goodbye after a terminate
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)


async def _keep_session(conn: asyncpg.Connection) -> None:
    """The pool's reset on release: nothing beyond what asyncpg always does (roll back an open
    transaction, drop listeners).

    asyncpg's default adds ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` — a round
    trip on every release, about a tenth of the daemon's CPU on the job path under load (py-spy). No
    pooled connection carries that state past its block: LISTEN has its own connection, cursors live
    in transactions, and :mod:`daemon.db.locks` undoes its session locks and settings itself, dropping
    the connection when it cannot."""


class Database:
    def __init__(self, url: str, data_dir: str | Path, *, min_size: int = 2, max_size: int = 20) -> None:
        self.url = url
        self._embedded = None if url else EmbeddedPostgres(data_dir)
        self._min_size = min_size
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self.dsn = url

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database not started")
        return self._pool

    async def start(self, *, run_migrations: bool = True) -> None:
        if self._embedded is not None:
            self.dsn = await self._embedded.start()
        self._pool = await self._connect()
        if run_migrations:
            async with self._pool.acquire() as conn:
                await migrate(conn)

    @backoff.on_exception(backoff.expo, CONNECTION_ERRORS, max_time=60, max_value=5)
    async def _connect(self) -> asyncpg.Pool:
        return await asyncpg.create_pool(
            self.dsn, min_size=self._min_size, max_size=self._max_size, command_timeout=60, reset=_keep_session
        )

    async def connect_single(self) -> asyncpg.Connection:
        """A dedicated connection outside the pool (LISTEN, advisory session locks)."""
        return await asyncpg.connect(self.dsn)

    async def reachable(self) -> bool:
        try:
            async with self.pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1", timeout=2)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable" for health
            return False

    async def close(self) -> None:
        if self._pool is not None:
            try:
                await asyncio.wait_for(self._pool.close(), timeout=10)
            except asyncio.TimeoutError:
                self._pool.terminate()
            self._pool = None
        if self._embedded is not None:
            await self._embedded.stop()
