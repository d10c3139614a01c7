import asyncpg

from daemon.db.database import Database
from daemon.db.migrate import available_migrations, migrate


async def test_migrations_apply_from_empty_and_are_idempotent(pg_admin_dsn, tmp_path):
    from tests.conftest import _admin, with_database
    import uuid

    name = f"rbsync_empty_{uuid.uuid4().hex[:8]}"
    await asyncpg_exec(pg_admin_dsn, f'CREATE DATABASE "{name}"')
    try:
        conn = await asyncpg.connect(with_database(pg_admin_dsn, name))
        try:
            applied = await migrate(conn)
            assert applied == [m.version for m in available_migrations()]
            assert await migrate(conn) == []
            versions = [r["version"] for r in await conn.fetch("SELECT version FROM schema_version ORDER BY 1")]
            assert versions == applied
            for table in ("jobs", "inbox", "poll_cursors"):
                assert await conn.fetchval("SELECT to_regclass($1)", table) is not None
        finally:
            await conn.close()
    finally:
        await asyncpg_exec(pg_admin_dsn, f'DROP DATABASE "{name}" WITH (FORCE)')


async def asyncpg_exec(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def test_pool_recovers_after_connections_are_terminated(db: Database):
    async with db.pool.acquire() as conn:
        await conn.execute("CREATE TABLE notes (v int)")
        await conn.execute("INSERT INTO notes VALUES (1)")
    admin = await asyncpg.connect(db.dsn)
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    assert killed >= 1
    for _ in range(db.pool.get_size() + 1):
        try:
            value = await db.pool.fetchval("SELECT count(*) FROM notes")
            break
        except Exception:
            continue
    assert value == 1
    assert await db.reachable()


async def test_session_lock_waits_for_the_holder_then_gets_it(db: Database):
    import asyncio

    from daemon.db.locks import ORDER_LOCKS, session_lock, try_session_lock

    async with try_session_lock(db.pool, ORDER_LOCKS, "k") as first:
        assert first
        async with try_session_lock(db.pool, ORDER_LOCKS, "k") as second:
            assert not second
        async with session_lock(db.pool, ORDER_LOCKS, "k", wait_s=0.05) as timed_out:
            assert not timed_out

        async def waiter():
            async with session_lock(db.pool, ORDER_LOCKS, "k", wait_s=10) as held:
                return held

        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.1)
        assert not task.done()
    assert await task is True


async def test_payload_columns_are_compressed_with_lz4_where_the_server_has_it(db: Database):
    async with db.pool.acquire() as conn:
        try:
            await conn.execute("CREATE TEMP TABLE probe (b bytea COMPRESSION lz4)")
            expected = "l"
        except asyncpg.FeatureNotSupportedError:
            expected = ""  # the column default: pglz
        methods = await conn.fetch(
            """SELECT attrelid::regclass::text AS t, attname, attcompression::text FROM pg_attribute
               WHERE (attrelid, attname) IN (('inbox'::regclass, 'body'), ('shop_orders'::regclass, 'payload'))"""
        )
        assert {(r["t"], r["attname"]): r["attcompression"] for r in methods} == {
            ("inbox", "body"): expected,
            ("shop_orders", "payload"): expected,
        }
        body = b'{"line_items": [' + b'{"sku": "P0001", "quantity": 1}, ' * 200 + b"{}]}"
        inbox_id = await conn.fetchval(
            """INSERT INTO inbox (source, connection, delivery_id, topic, headers, body, status)
               VALUES ('shopify', 's', 'd', 'orders/create', '{}', $1, 'received') RETURNING id""",
            body,
        )
        stored, size = await conn.fetchrow("SELECT body, pg_column_size(body) FROM inbox WHERE id = $1", inbox_id)
        assert stored == body and size < len(body) // 4  # compressed, and read back whole
