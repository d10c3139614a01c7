"""Separate worker processes on one database: a killed worker's job runs again, none runs twice."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from daemon.queue import JobQueue
from tests.integration.queue_support import make_worker, wait_until  # noqa: F401 - fixture
from tests.integration.queue_worker_proc import EFFECTS_TABLE, EffectHandler

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def spawn(database_url):
    """Starts worker processes; each is ready (listening) when returned, and gone after the test."""
    procs: list[asyncio.subprocess.Process] = []

    async def start(worker_id: str, lease_s: float) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.integration.queue_worker_proc", database_url, worker_id, str(lease_s),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
        )
        procs.append(proc)
        assert await asyncio.wait_for(proc.stdout.readline(), 30) == b"ready\n"
        return proc

    yield start
    for proc in procs:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


async def stop_gracefully(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0


async def effects(db) -> list[tuple]:
    return [tuple(r) for r in await db.pool.fetch("SELECT job_id, event, attempt FROM effects ORDER BY job_id, attempt, event DESC")]


async def test_a_job_of_a_sigkilled_worker_runs_again_after_its_lease(db, spawn, make_worker):
    await db.pool.execute(EFFECTS_TABLE)
    doomed = await spawn("doomed", lease_s=1.5)
    job_id = await JobQueue(db).enqueue("effect", {"first_sleep_s": 300})
    await wait_until(lambda: db.pool.fetchval("SELECT count(*) = 1 FROM effects"))
    doomed.kill()  # SIGKILL: no shutdown code runs, the lease is left behind
    await doomed.wait()

    await make_worker({"effect": EffectHandler(db, "survivor")})
    await wait_until(lambda: db.pool.fetchval("SELECT state = 'done' FROM jobs WHERE id = $1", job_id))
    assert await effects(db) == [(job_id, "start", 1), (job_id, "start", 2), (job_id, "done", 2)]


async def test_two_worker_processes_run_each_job_exactly_once(db, spawn):
    await db.pool.execute(EFFECTS_TABLE)
    workers = [await spawn(f"w{n}", lease_s=30) for n in (1, 2)]
    n_jobs = 300
    await db.pool.execute(
        "INSERT INTO jobs (kind, connection) SELECT 'effect', 'shop' || (n % 5) FROM generate_series(1, $1) AS n",
        n_jobs,
    )
    await wait_until(lambda: db.pool.fetchval("SELECT count(*) = $1 FROM jobs WHERE state = 'done'", n_jobs))
    for proc in workers:
        await stop_gracefully(proc)
    runs = await db.pool.fetch("SELECT job_id, count(*) AS n FROM effects WHERE event = 'start' GROUP BY job_id")
    assert len(runs) == n_jobs
    assert {r["n"] for r in runs} == {1}
