"""Shared fixtures: a real PostgreSQL for every test that needs one.

``DATABASE_URL`` (e.g. the machine's server at 127.0.0.1:5432) is used when set; otherwise an embedded
pgserver is started once per session. Each test gets its own database, cloned from a migrated template.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from daemon.db.database import Database
from daemon.db.migrate import migrate


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin(dsn: str, *statements: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def pg_admin_dsn(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def template_db(pg_admin_dsn):
    name = f"rbsync_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _admin(pg_admin_dsn, f'CREATE DATABASE "{name}"')

    async def run_migrations() -> None:
        conn = await asyncpg.connect(with_database(pg_admin_dsn, name))
        try:
            await migrate(conn)
        finally:
            await conn.close()

    asyncio.run(run_migrations())
    yield name
    _admin(pg_admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(pg_admin_dsn, template_db):
    """A fresh, migrated database for this test only."""
    name = f"rbsync_t_{uuid.uuid4().hex[:12]}"
    _admin(pg_admin_dsn, f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
    yield with_database(pg_admin_dsn, name)
    _admin(pg_admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def db(database_url, tmp_path):
    database = Database(database_url, tmp_path)
    await database.start()
    yield database
    await database.close()
