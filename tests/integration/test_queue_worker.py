"""The worker pool against real PostgreSQL: outcomes, wake-ups, fairness, shutdown, outages."""

from __future__ import annotations

import asyncio
import time
import datetime as dt

import asyncpg

from daemon.errors import RetryableError, TerminalError
from daemon.queue import JobQueue, RetryPolicy
from tests.integration.queue_support import Recorder, make_worker, wait_until  # noqa: F401 - fixture


async def state_is(db, job_id: int, state: str) -> bool:
    return await db.pool.fetchval("SELECT state FROM jobs WHERE id = $1", job_id) == state


async def has_error(db, job_id: int) -> bool:
    return await db.pool.fetchval("SELECT last_error IS NOT NULL FROM jobs WHERE id = $1", job_id)


async def test_a_returning_handler_marks_the_job_done(db, make_worker):
    recorder = Recorder()
    await make_worker({"k": recorder})
    job_id = await JobQueue(db).enqueue("k", {"n": 1}, connection="shop")
    await wait_until(lambda: state_is(db, job_id, "done"))
    [job] = recorder.finished
    assert (job.id, job.payload, job.connection, job.attempts) == (job_id, {"n": 1}, "shop", 1)


async def test_retryable_error_backs_off_with_full_jitter(db, make_worker):
    queue = JobQueue(db)
    await make_worker({"k": Recorder(raises=RetryableError("shop answered 503"))}, retry_policy=RetryPolicy(base_s=100))
    job_id = await queue.enqueue("k", {})
    await wait_until(lambda: has_error(db, job_id))
    job = await queue.get(job_id)
    assert (job.state, job.attempts, job.last_error, job.locked_by) == ("pending", 1, "shop answered 503", None)
    assert 0 <= (job.run_at - job.updated_at).total_seconds() <= 100


async def test_retry_after_from_the_server_wins_over_backoff(db, make_worker):
    queue = JobQueue(db)
    await make_worker({"k": Recorder(raises=RetryableError("429", retry_after=120))})
    job_id = await queue.enqueue("k", {})
    await wait_until(lambda: has_error(db, job_id))
    job = await queue.get(job_id)
    assert job.run_at - job.updated_at == dt.timedelta(seconds=120)


async def test_unexpected_exception_is_retried(db, make_worker):
    queue = JobQueue(db)
    await make_worker({"k": Recorder(raises=ValueError("boom"))}, retry_policy=RetryPolicy(base_s=100))
    job_id = await queue.enqueue("k", {})
    await wait_until(lambda: has_error(db, job_id))
    job = await queue.get(job_id)
    assert (job.state, job.last_error) == ("pending", "ValueError: boom")


async def test_gives_up_after_max_attempts(db, make_worker):
    recorder = Recorder(raises=RetryableError("still down"))
    await make_worker({"k": recorder}, retry_policy=RetryPolicy(base_s=0))
    job_id = await JobQueue(db).enqueue("k", {}, max_attempts=3)
    await wait_until(lambda: state_is(db, job_id, "failed"))
    job = await JobQueue(db).get(job_id)
    assert (job.attempts, job.last_error) == (3, "gave up after 3 attempts: still down")
    assert len(recorder.started) == 3


async def test_terminal_error_parks_with_reason_and_blocked_on_until_released(db, make_worker):
    queue = JobQueue(db)
    recorder = Recorder(raises=TerminalError("order line has unknown SKU ABC", blocked_on="sku:ABC"))
    await make_worker({"order.import": recorder})
    job_id = await queue.enqueue("order.import", {"order": 7})
    await wait_until(lambda: state_is(db, job_id, "failed"))
    job = await queue.get(job_id)
    assert (job.attempts, job.last_error, job.blocked_on) == (1, "order line has unknown SKU ABC", "sku:ABC")

    recorder.raises = None  # product ABC now exists in Rackbeat
    assert await queue.release_blocked("sku:ABC") == 1
    await wait_until(lambda: state_is(db, job_id, "done"))
    assert recorder.started_ids() == [job_id, job_id]


async def test_unknown_kind_is_parked_with_a_clear_reason(db, make_worker):
    await make_worker({"known": Recorder()})
    job_id = await JobQueue(db).enqueue("mystery", {})
    await wait_until(lambda: state_is(db, job_id, "failed"))
    assert (await JobQueue(db).get(job_id)).last_error == "unknown job kind 'mystery': no handler registered"


async def test_a_retry_merges_into_a_pending_job_with_the_same_key(db, make_worker):
    queue = JobQueue(db)
    recorder = Recorder(raises=RetryableError("429"))
    recorder.gates["shop"] = asyncio.Event()
    await make_worker({"stock.push": recorder})
    first = await queue.enqueue("stock.push", {}, connection="shop", dedupe_key="stock:shop:A")
    await wait_until(lambda: recorder.started_ids() == [first])
    second = await queue.enqueue("stock.push", {}, connection="shop", dedupe_key="stock:shop:A", delay_s=3600)
    recorder.gates["shop"].set()
    await wait_until(lambda: state_is(db, first, "merged"))
    assert await state_is(db, second, "pending")


async def test_notify_wakes_an_idle_worker_long_before_the_safety_poll(db, make_worker):
    recorder = Recorder()
    await make_worker({"k": recorder, "inbox.process": recorder}, safety_poll_s=3600)
    await JobQueue(db).enqueue("k", {})
    await wait_until(lambda: len(recorder.finished) == 1)
    # the webhook listener's own statement (its INSERT inside a data-modifying CTE) wakes it the same way
    await db.pool.execute(
        "WITH row AS (SELECT 1 AS id), job AS (INSERT INTO jobs (kind, connection, payload) "
        "SELECT 'inbox.process', 'shop', jsonb_build_object('inbox_id', row.id) FROM row) SELECT id FROM row"
    )
    await wait_until(lambda: len(recorder.finished) == 2)


async def test_a_delayed_job_runs_when_due_without_a_notify(db, make_worker):
    recorder = Recorder()
    await make_worker({"k": recorder}, safety_poll_s=3600)
    job_id = await JobQueue(db).enqueue("k", {}, delay_s=0.5)
    await wait_until(lambda: state_is(db, job_id, "done"))


async def listen_backend_pid(db) -> int | None:
    return await db.pool.fetchval(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'"
    )


async def test_listen_connection_reconnects_after_being_terminated(db, make_worker):
    recorder = Recorder()
    await make_worker({"k": recorder}, safety_poll_s=3600)
    old_pid = await listen_backend_pid(db)
    assert old_pid is not None
    assert await db.pool.fetchval("SELECT pg_terminate_backend($1)", old_pid)
    await wait_until(lambda: _has_new_listener(db, old_pid))
    await JobQueue(db).enqueue("k", {})
    await wait_until(lambda: len(recorder.finished) == 1)


async def _has_new_listener(db, old_pid: int) -> bool:
    pid = await listen_backend_pid(db)
    return pid is not None and pid != old_pid


async def test_keeps_working_when_the_database_drops_every_connection(db, make_worker, database_url):
    recorder = Recorder()
    recorder.gates["shop"] = asyncio.Event()
    await make_worker({"k": recorder}, safety_poll_s=3600)
    queue = JobQueue(db)
    before = [await queue.enqueue("k", {}, connection="shop") for _ in range(3)]
    await wait_until(lambda: len(recorder.started) == 3)

    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        recorder.gates["shop"].set()  # the completions meet dead connections
        after = [await admin.fetchval("INSERT INTO jobs (kind) VALUES ('k') RETURNING id") for _ in range(3)]
        await wait_until(
            lambda: admin.fetchval("SELECT count(*) = 6 FROM jobs WHERE state = 'done' AND id = ANY($1)", before + after)
        )
    finally:
        await admin.close()


async def test_a_slow_connection_does_not_delay_the_others(db, make_worker):
    recorder = Recorder()
    recorder.gates["slow"] = asyncio.Event()
    await make_worker({"k": recorder}, concurrency=4, connection_concurrency=2)
    queue = JobQueue(db)
    for _ in range(10):
        await queue.enqueue("k", {}, connection="slow")
    fast = [await queue.enqueue("k", {}, connection="fast") for _ in range(5)]
    await wait_until(lambda: sorted(j.id for j in recorder.finished) == fast)
    assert recorder.in_flight("slow") == 2
    recorder.gates["slow"].set()
    await wait_until(lambda: len(recorder.finished) == 15)


async def test_a_connection_runs_as_many_jobs_at_once_as_its_cap_allows(db, make_worker):
    """The Rackbeat connection takes 6 requests at once here, a shop the default 2."""
    recorder = Recorder()
    recorder.gates["rackbeat"] = asyncio.Event()
    recorder.gates["shop"] = asyncio.Event()
    await make_worker({"k": recorder}, concurrency=12, connection_concurrency=2, connection_caps={"rackbeat": 6})
    queue = JobQueue(db)
    for _ in range(10):
        await queue.enqueue("k", {}, connection="rackbeat")
        await queue.enqueue("k", {}, connection="shop")
    await wait_until(lambda: recorder.in_flight("rackbeat") == 6 and recorder.in_flight("shop") == 2)
    await asyncio.sleep(0.2)  # and no more than that
    assert (recorder.in_flight("rackbeat"), recorder.in_flight("shop")) == (6, 2)
    recorder.gates["rackbeat"].set()
    recorder.gates["shop"].set()
    await wait_until(lambda: len(recorder.finished) == 20)


async def test_jobs_without_a_connection_leave_slots_for_the_connections(db, make_worker):
    """A burst of inbox items may not take every slot while transfers wait."""
    recorder = Recorder()
    recorder.gates[None] = asyncio.Event()
    await make_worker({"k": recorder}, concurrency=8, local_concurrency=3, safety_poll_s=3600)
    queue = JobQueue(db)
    for _ in range(10):
        await queue.enqueue("k", {})
    rackbeat = [await queue.enqueue("k", {}, connection="rackbeat") for _ in range(2)]
    await wait_until(lambda: sorted(j.id for j in recorder.finished) == rackbeat)
    assert recorder.in_flight(None) == 3
    recorder.gates[None].set()
    await wait_until(lambda: len(recorder.finished) == 12)


async def test_jobs_without_a_connection_run_on_a_budget_of_their_own(db, make_worker):
    """Many inbox items at once (large batches) take none of the few slots the connections' jobs have."""
    recorder = Recorder()
    recorder.gates[None] = asyncio.Event()
    await make_worker({"k": recorder}, concurrency=2, local_concurrency=8, claim_batch=8, safety_poll_s=3600)
    queue = JobQueue(db)
    for _ in range(10):
        await queue.enqueue("k", {})
    await wait_until(lambda: recorder.in_flight(None) == 8)
    rackbeat = [await queue.enqueue("k", {}, connection="rackbeat") for _ in range(2)]
    await wait_until(lambda: sorted(j.id for j in recorder.finished) == rackbeat)
    assert recorder.in_flight(None) == 8
    recorder.gates[None].set()
    await wait_until(lambda: len(recorder.finished) == 12)


async def test_busy_connections_are_skipped_until_their_limiter_frees_up(db, make_worker):
    recorder = Recorder()
    busy = {"throttled"}
    await make_worker({"k": recorder}, busy_connections=lambda: busy, busy_recheck_s=0.05)
    queue = JobQueue(db)
    throttled = await queue.enqueue("k", {}, connection="throttled")
    free = await queue.enqueue("k", {}, connection="free")
    await wait_until(lambda: recorder.started_ids() == [free])
    assert await state_is(db, throttled, "pending")
    busy.clear()
    await wait_until(lambda: recorder.started_ids() == [free, throttled])


async def test_heartbeat_keeps_the_lease_of_a_long_job(db, make_worker):
    recorder = Recorder()
    recorder.gates["shop"] = asyncio.Event()
    await make_worker({"k": recorder}, lease_s=0.6)
    job_id = await JobQueue(db).enqueue("k", {}, connection="shop")
    await wait_until(lambda: len(recorder.started) == 1)
    first_lease = await db.pool.fetchval("SELECT lease_until FROM jobs WHERE id = $1", job_id)
    await wait_until(
        lambda: db.pool.fetchval("SELECT lease_until > $2::timestamptz + interval '1 second' FROM jobs WHERE id = $1", job_id, first_lease)
    )
    assert await state_is(db, job_id, "running")
    recorder.gates["shop"].set()
    await wait_until(lambda: state_is(db, job_id, "done"))
    assert recorder.started_ids() == [job_id]


async def test_graceful_stop_finishes_quick_jobs_and_releases_the_rest(db, make_worker):
    recorder = Recorder()
    recorder.gates["stuck"] = asyncio.Event()
    recorder.gates["quick"] = asyncio.Event()
    worker = await make_worker({"k": recorder})
    queue = JobQueue(db)
    stuck = await queue.enqueue("k", {}, connection="stuck")
    quick = await queue.enqueue("k", {}, connection="quick")
    await wait_until(lambda: len(recorder.started) == 2)

    stopping = asyncio.create_task(worker.stop(grace_s=2))
    recorder.gates["quick"].set()
    await stopping
    assert await state_is(db, quick, "done")
    released = await queue.get(stuck)
    assert (released.state, released.attempts, released.locked_by, released.lease_until) == ("pending", 0, None, None)


async def test_jobs_claimed_ahead_start_as_slots_free_and_go_back_at_once_on_stop(db, make_worker):
    recorder = Recorder()
    recorder.gates[None] = asyncio.Event()
    worker = await make_worker({"k": recorder}, concurrency=2, local_concurrency=2, claim_batch=4)
    queue = JobQueue(db)
    ids = [await queue.enqueue("k", {}) for _ in range(8)]
    # two run, two more are claimed ahead of a free slot
    await wait_until(lambda: db.pool.fetchval("SELECT count(*) = 4 FROM jobs WHERE state = 'running'"))
    assert recorder.in_flight(None) == 2
    started = time.monotonic()
    stopping = asyncio.create_task(worker.stop(grace_s=30))
    await wait_until(lambda: db.pool.fetchval("SELECT count(*) = 6 FROM jobs WHERE state = 'pending'"))
    assert time.monotonic() - started < 5 and not stopping.done()  # handed back without the grace period
    recorder.gates[None].set()
    await stopping
    assert recorder.started_ids() == ids[:2]
    assert await db.pool.fetchval("SELECT sum(attempts) FROM jobs WHERE state = 'pending'") == 0


async def test_old_finished_jobs_are_purged(db, make_worker):
    queue = JobQueue(db)
    old, failed = await queue.enqueue("k", {}), await queue.enqueue("k", {})
    await db.pool.execute(
        "UPDATE jobs SET state = 'done', finished_at = now() - make_interval(days => $2) WHERE id = $1", old, 8
    )
    await db.pool.execute("UPDATE jobs SET state = 'failed', finished_at = now() - interval '30 days' WHERE id = $1", failed)
    await make_worker({"k": Recorder()}, keep_done_s=7 * 86400)
    await wait_until(lambda: db.pool.fetchval("SELECT count(*) = 0 FROM jobs WHERE id = $1", old))
    assert await state_is(db, failed, "failed")  # failed jobs wait for the operator
