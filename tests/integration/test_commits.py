"""Unflushed transactions on real PostgreSQL: one round trip to begin, all or nothing, never nested."""

from __future__ import annotations

import asyncpg
import pytest

from daemon.db.commits import unflushed_transaction


@pytest.fixture
async def conn(db):
    async with db.pool.acquire() as conn:
        await conn.execute("CREATE TABLE notes (id int PRIMARY KEY)")
        yield conn


async def ids(conn) -> list[int]:
    return [r["id"] for r in await conn.fetch("SELECT id FROM notes ORDER BY id")]


async def test_commits_without_waiting_for_the_disk(conn):
    async with unflushed_transaction(conn):
        assert await conn.fetchval("SHOW synchronous_commit") == "off"
        await conn.execute("INSERT INTO notes VALUES (1)")
    assert not conn.is_in_transaction()
    assert await conn.fetchval("SHOW synchronous_commit") == "on"  # local to the transaction
    assert await ids(conn) == [1]


async def test_a_failure_inside_rolls_everything_back(conn):
    with pytest.raises(RuntimeError):
        async with unflushed_transaction(conn):
            await conn.execute("INSERT INTO notes VALUES (1)")
            raise RuntimeError("the caller fails")
    assert not conn.is_in_transaction()
    assert await ids(conn) == []


async def test_a_failed_statement_rolls_back_and_the_connection_stays_usable(conn):
    with pytest.raises(asyncpg.UniqueViolationError):
        async with unflushed_transaction(conn):
            await conn.execute("INSERT INTO notes VALUES (1)")
            await conn.execute("INSERT INTO notes VALUES (1)")
    async with unflushed_transaction(conn):
        await conn.execute("INSERT INTO notes VALUES (2)")
    assert await ids(conn) == [2]


async def test_an_asyncpg_transaction_inside_is_refused_rather_than_committing_early(conn):
    with pytest.raises(asyncpg.InterfaceError):
        async with unflushed_transaction(conn):
            await conn.execute("INSERT INTO notes VALUES (1)")
            async with conn.transaction():
                await conn.execute("INSERT INTO notes VALUES (2)")
    assert await ids(conn) == []


async def test_it_refuses_to_nest_in_a_transaction_the_caller_has_open(conn):
    with pytest.raises(asyncpg.InterfaceError):
        async with conn.transaction():
            await conn.execute("INSERT INTO notes VALUES (1)")
            async with unflushed_transaction(conn):  # its COMMIT would end the caller's transaction
                await conn.execute("INSERT INTO notes VALUES (2)")
    assert await ids(conn) == []
