"""What ``GET /healthz`` reports: database reachability, queue depth, pollers and webhook arrival.

Everything comes from the database, under one short timeout: a health check that hangs on a dead
database is worse than one that says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import structlog

from daemon.config.model import Config
from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.queue.model import STATES
from daemon.webhooks.deliveries import RACKBEAT_CONNECTION
from daemon.webhooks.inbox import InboxStore

log = structlog.get_logger()  # lazy: follows configure_logging() done after import


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class HealthReporter:
    def __init__(self, database: Database, config: Config, *, timeout: float = 2.0) -> None:
        self._database = database
        self._inbox = InboxStore(database, timeout=timeout)
        self._timeout = timeout
        self._webhook_connections = [shop.id for shop in config.shops]
        if config.rackbeat.webhook_token is not None or config.daemon.public_url:
            self._webhook_connections.append(RACKBEAT_CONNECTION)

    async def report(self) -> dict[str, Any]:
        """``status: ok`` with the details, or ``status: unavailable, database: false``."""
        try:
            return await asyncio.wait_for(self._collect(), self._timeout)
        except CONNECTION_ERRORS as exc:
            log.warning("health.database_unreachable", error=exc)
            return {"status": "unavailable", "database": False}

    async def _collect(self) -> dict[str, Any]:
        async with self._database.pool.acquire() as conn:
            states = dict(await conn.fetch("SELECT state, count(*) FROM jobs GROUP BY state"))
            pollers = await conn.fetch(
                "SELECT connection, stream, last_success_at, last_run_at, last_error"
                " FROM poll_cursors ORDER BY connection, stream"
            )
        webhooks = await self._inbox.last_webhook_per_connection(self._webhook_connections)
        return {
            "status": "ok",
            "database": True,
            "queue": {state: states.get(state, 0) for state in STATES},
            "pollers": [
                {
                    "connection": p["connection"],
                    "stream": p["stream"],
                    "last_success_at": _iso(p["last_success_at"]),
                    "last_run_at": _iso(p["last_run_at"]),
                    "last_error": p["last_error"],
                }
                for p in pollers
            ],
            "webhooks": {name: {"last_received_at": _iso(last)} for name, last in webhooks.items()},
        }
