"""The queue's SQL on real PostgreSQL: enqueue, dedupe, claims, requeues, operator actions."""

from __future__ import annotations

import asyncpg
import pytest

from daemon.queue import JobQueue

WORKER = "test-worker"


@pytest.fixture
def queue(db) -> JobQueue:
    return JobQueue(db)


async def claim(queue: JobQueue, limit: int = 10, lease_s: float = 60.0, **limits):
    return await queue.leases.claim(WORKER, limit, lease_s, per_connection=limits.pop("per_connection", 100), **limits)


async def test_enqueue_commits_and_rolls_back_with_the_callers_transaction(db, queue):
    async with db.pool.acquire() as conn:
        await conn.execute("CREATE TABLE orders (id int PRIMARY KEY)")
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await conn.execute("INSERT INTO orders VALUES (1)")
                assert await queue.enqueue("order.push", {"order": 1}, connection="shop", conn=conn) is not None
                raise RuntimeError("caller fails after enqueuing")
        async with conn.transaction():
            await conn.execute("INSERT INTO orders VALUES (2)")
            kept = await queue.enqueue("order.push", {"order": 2}, connection="shop", conn=conn)
    jobs = await queue.list()
    assert [(j.id, j.payload) for j in jobs] == [(kept, {"order": 2})]


async def test_dedupe_coalesces_pending_but_a_running_job_does_not_block_a_new_one(queue):
    first = await queue.enqueue("stock.push", {"sku": "A"}, dedupe_key="stock:s1:A")
    assert first is not None
    assert await queue.enqueue("stock.push", {"sku": "A"}, dedupe_key="stock:s1:A") is None
    assert await queue.enqueue("stock.push", {"sku": "B"}, dedupe_key="stock:s1:B") is not None

    assert first in {j.id for j in await claim(queue)}
    second = await queue.enqueue("stock.push", {"sku": "A"}, dedupe_key="stock:s1:A")
    assert second is not None and second != first
    assert await queue.enqueue("stock.push", {"sku": "A"}, dedupe_key="stock:s1:A") is None


async def test_claim_skips_rows_locked_by_another_transaction(db, queue):
    locked = await queue.enqueue("k", {})
    free = await queue.enqueue("k", {})
    async with db.pool.acquire() as other, other.transaction():
        await other.execute("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", locked)
        assert [j.id for j in await claim(queue)] == [free]
    assert [j.id for j in await claim(queue)] == [locked]


async def test_claim_marks_running_under_a_lease_and_leaves_delayed_jobs(queue):
    due = await queue.enqueue("k", {})
    await queue.enqueue("k", {}, delay_s=3600)
    [job] = await claim(queue, lease_s=30)
    assert (job.id, job.state, job.attempts, job.locked_by) == (due, "running", 1, WORKER)
    assert 29 <= (job.lease_until - job.updated_at).total_seconds() <= 30
    assert await claim(queue) == []
    pending_in, expiry_in = await queue.leases.next_due("another-worker", ())
    assert 3500 < pending_in <= 3600 and 0 < expiry_in <= 30


async def test_claim_caps_jobs_per_connection_and_skips_full_ones(queue):
    for _ in range(5):
        await queue.enqueue("k", {}, connection="slow")
    fast = [await queue.enqueue("k", {}, connection="fast") for _ in range(2)]
    unbound = await queue.enqueue("k", {})

    first = await claim(queue, per_connection=2, room={"slow": 1})
    assert sorted((j.connection or "-") for j in first) == ["-", "fast", "fast", "slow"]
    second = await claim(queue, per_connection=2, full={"slow"})
    assert second == []
    assert {j.id for j in first} >= {*fast, unbound}


async def test_outcomes_are_fenced_to_the_claim_that_holds_the_lease(queue):
    await queue.enqueue("k", {})
    [job] = await claim(queue, lease_s=0)
    assert [j.id for j in await queue.leases.requeue_expired()] == [job.id]
    [again] = await claim(queue)
    assert again.attempts == 2
    assert await queue.leases.complete([job]) == set()  # the stale first claim
    assert await queue.leases.complete([again]) == {again.id}
    assert (await queue.get(job.id)).state == "done"


async def test_expired_lease_gives_up_when_attempts_are_used(queue):
    job_id = await queue.enqueue("k", {}, max_attempts=1)
    await claim(queue, lease_s=0)
    await queue.leases.requeue_expired()
    job = await queue.get(job_id)
    assert (job.state, job.last_error) == ("failed", "gave up after 1 attempts: lease expired")


async def test_requeue_merges_into_a_pending_job_with_the_same_key(queue):
    old = await queue.enqueue("stock.push", {}, dedupe_key="stock:s:A")
    [running] = await claim(queue)
    newer = await queue.enqueue("stock.push", {}, dedupe_key="stock:s:A")
    assert await queue.leases.retry_later(running, 5, "429 from shop") is True
    assert (await queue.get(old)).state == "merged"
    assert (await queue.get(newer)).state == "pending"


async def test_release_blocked_requeues_only_jobs_waiting_for_that_key(queue):
    abc = await queue.enqueue("order.import", {"order": 1})
    other = await queue.enqueue("order.import", {"order": 2})
    for job in await claim(queue):
        key = "sku:ABC" if job.id == abc else "sku:XYZ"
        await queue.leases.park(job, f"unknown SKU {key}", blocked_on=key)

    assert await queue.release_blocked("sku:ABC") == 1
    released = await queue.get(abc)
    assert (released.state, released.attempts, released.blocked_on) == ("pending", 0, None)
    assert (await queue.get(other)).state == "failed"


async def test_release_blocked_joins_the_callers_transaction(db, queue):
    job_id = await queue.enqueue("order.import", {})
    [job] = await claim(queue)
    await queue.leases.park(job, "unknown SKU", blocked_on="sku:ABC")
    async with db.pool.acquire() as conn:
        with pytest.raises(asyncpg.UndefinedTableError):
            async with conn.transaction():
                assert await queue.release_blocked("sku:ABC", conn=conn) == 1
                await conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert (await queue.get(job_id)).state == "failed"


async def test_operator_retry_and_retry_all_failed(queue):
    ids = [await queue.enqueue("k", {}) for _ in range(3)]
    for job in await claim(queue):
        await queue.leases.park(job, "bad data")
    assert await queue.retry(ids[0]) is True
    assert await queue.retry(ids[0]) is False  # pending now, not failed
    assert await queue.retry(999_999) is False
    assert await queue.retry_all_failed() == 2
    assert (await queue.depth_by_state())["pending"] == 3


async def test_depth_list_filters_and_purge(db, queue):
    done_id = await queue.enqueue("a", {})
    await queue.enqueue("b", {})
    [job] = await claim(queue, limit=1)
    await queue.leases.complete([job])
    assert await queue.depth_by_state() == {"pending": 1, "running": 0, "done": 1, "failed": 0, "merged": 0}
    assert [j.kind for j in await queue.list(state="pending")] == ["b"]
    assert [j.id for j in await queue.list(kind="a")] == [done_id]
    with pytest.raises(ValueError):
        await queue.list(state="nonsense")

    assert await queue.purge_done(older_than_s=3600) == 0
    await db.pool.execute("UPDATE jobs SET finished_at = now() - interval '2 hours' WHERE id = $1", done_id)
    assert await queue.purge_done(older_than_s=3600) == 1
    assert await queue.get(done_id) is None
