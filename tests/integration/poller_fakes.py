"""A stream whose remote system is two tables, so tests (and spawned processes) can see every call.

``fake_items`` is what the "remote" holds; ``fake_poll_calls`` records each fetch with its window,
the process that made it and when it entered and left. Run as a module, it polls until SIGTERM:
``python -m tests.integration.poller_fakes DSN STREAM... --interval S --delay S``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import tempfile

import asyncpg

from daemon.db.database import Database
from daemon.pollers.base import Poller
from daemon.pollers.stream import PolledItem
from daemon.webhooks.inbox import InboxStore
from tests.integration.waiting import wait_until

CONNECTION = "fake"

SCHEMA = """
CREATE TABLE IF NOT EXISTS fake_items (
    key text PRIMARY KEY, updated_at timestamptz NOT NULL, body jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS fake_poll_calls (
    id bigserial PRIMARY KEY, stream text NOT NULL, pid integer NOT NULL,
    since timestamptz NOT NULL, until timestamptz NOT NULL,
    entered_at timestamptz NOT NULL DEFAULT clock_timestamp(), left_at timestamptz);
"""


class RecordingStream:
    def __init__(self, pool: asyncpg.Pool, name: str, *, interval_s: float, delay_s: float = 0.0) -> None:
        self.name = name
        self.connection = CONNECTION
        self.interval_s = interval_s
        self.fail = False  # the next fetches raise, as an unreachable API would
        self._pool = pool
        self._delay_s = delay_s

    async def fetch(self, since: dt.datetime, until: dt.datetime):
        call = await self._pool.fetchval(
            "INSERT INTO fake_poll_calls (stream, pid, since, until) VALUES ($1, $2, $3, $4) RETURNING id",
            self.name,
            os.getpid(),
            since,
            until,
        )
        try:
            await asyncio.sleep(self._delay_s)
            if self.fail:
                raise ConnectionRefusedError("remote says no")
            rows = await self._pool.fetch(
                "SELECT key, updated_at, body FROM fake_items WHERE updated_at BETWEEN $1 AND $2 ORDER BY key",
                since,
                until,
            )
            for row in rows:
                yield PolledItem("fake.widget", row["key"], row["updated_at"], json.loads(row["body"]))
        finally:
            await self._pool.execute("UPDATE fake_poll_calls SET left_at = clock_timestamp() WHERE id = $1", call)


async def create_schema(pool: asyncpg.Pool) -> None:
    await pool.execute(SCHEMA)


async def fetch_calls(pool: asyncpg.Pool, stream: str) -> list[asyncpg.Record]:
    return await pool.fetch("SELECT * FROM fake_poll_calls WHERE stream = $1 ORDER BY entered_at", stream)


async def calls_at_least(pool: asyncpg.Pool, stream: str, count: int) -> list[asyncpg.Record]:
    async def enough() -> list[asyncpg.Record] | None:
        calls = await fetch_calls(pool, stream)
        return calls if len(calls) >= count else None

    return await wait_until(enough, timeout=60)


async def _serve(dsn: str, streams: list[str], interval_s: float, delay_s: float) -> None:
    database = Database(dsn, tempfile.gettempdir())
    await database.start(run_migrations=False)
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    inbox = InboxStore(database)
    pollers = [
        Poller(RecordingStream(database.pool, name, interval_s=interval_s, delay_s=delay_s), database.pool, inbox)
        for name in streams
    ]
    for poller in pollers:
        poller.start()
    print("polling", flush=True)
    await stopped.wait()
    await asyncio.gather(*(poller.stop() for poller in pollers))
    await database.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("dsn")
    parser.add_argument("streams", nargs="+")
    parser.add_argument("--interval", type=float, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(_serve(args.dsn, args.streams, args.interval, args.delay))
