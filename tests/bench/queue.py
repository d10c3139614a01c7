"""Queue benchmark: no-op job throughput, and enqueue→start latency of an idle worker (NOTIFY wake-up)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time

from daemon.db.database import Database
from daemon.logs.setup import configure_logging
from daemon.queue import Job, JobQueue, Worker

THROUGHPUT_JOBS = 5000
CONNECTIONS = 8
LATENCY_SAMPLES = 50


class _Counter:
    """A no-op handler that signals when it has seen ``target`` jobs."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.seen = 0
        self.all_seen = asyncio.Event()

    async def handle(self, job: Job) -> None:
        self.seen += 1
        if self.seen == self.target:
            self.all_seen.set()


class _StartClock:
    """Notes when each job started, for the latency samples."""

    def __init__(self) -> None:
        self.started = asyncio.Queue()

    async def handle(self, job: Job) -> None:
        self.started.put_nowait(time.perf_counter())


async def run(database_url: str) -> dict[str, float]:
    configure_logging("warning", stream=sys.stderr)  # measure the queue, not the terminal
    with tempfile.TemporaryDirectory() as data_dir:
        database = Database(database_url, data_dir)
        await database.start()
        try:
            queue = JobQueue(database)
            return {
                "queue_jobs_per_s": await _throughput(database, queue),
                "queue_start_latency_p50_ms": await _start_latency_ms(database, queue),
            }
        finally:
            await database.close()


async def _throughput(database: Database, queue: JobQueue) -> float:
    await database.pool.execute(
        "INSERT INTO jobs (kind, connection) SELECT 'noop', 'shop' || (n % $2) FROM generate_series(1, $1) AS n",
        THROUGHPUT_JOBS,
        CONNECTIONS,
    )
    counter = _Counter(THROUGHPUT_JOBS)
    worker = Worker(database, queue, {"noop": counter})
    began = time.perf_counter()
    await worker.start()
    await counter.all_seen.wait()
    await worker.stop(grace_s=60)  # waits for the last outcome writes
    elapsed = time.perf_counter() - began
    done = await database.pool.fetchval("SELECT count(*) FROM jobs WHERE state = 'done'")
    if done != THROUGHPUT_JOBS:
        raise RuntimeError(f"only {done} of {THROUGHPUT_JOBS} jobs done")
    return THROUGHPUT_JOBS / elapsed


async def _start_latency_ms(database: Database, queue: JobQueue) -> float:
    clock = _StartClock()
    worker = Worker(database, queue, {"clock": clock}, safety_poll_s=3600)
    await worker.start()
    samples = []
    try:
        for _ in range(LATENCY_SAMPLES):
            await asyncio.sleep(0.02)  # let the worker go idle again
            enqueued = time.perf_counter()
            await queue.enqueue("clock", {})
            samples.append((await asyncio.wait_for(clock.started.get(), 10) - enqueued) * 1000)
    finally:
        await worker.stop(grace_s=10)
    return statistics.median(samples)
