"""A queue worker in its own process, for the crash and multi-process tests.

``python -m tests.integration.queue_worker_proc DSN WORKER_ID LEASE_S`` prints ``ready`` once it
listens, runs ``effect`` jobs until SIGTERM, then stops gracefully.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile

from daemon.db.database import Database
from daemon.logs.setup import configure_logging
from daemon.queue import Job, JobQueue, Worker

EFFECTS_TABLE = """CREATE TABLE effects (
    job_id bigint NOT NULL, event text NOT NULL, worker text NOT NULL, attempt int NOT NULL)"""


class EffectHandler:
    """Records a ``start`` and a ``done`` row per run; on the first attempt it first sleeps
    ``payload.first_sleep_s``, long enough for the test to kill its process."""

    def __init__(self, database: Database, worker_id: str) -> None:
        self._database = database
        self._worker_id = worker_id

    async def handle(self, job: Job) -> None:
        await self._record(job, "start")
        if job.attempts == 1:
            await asyncio.sleep(job.payload.get("first_sleep_s", 0))
        await self._record(job, "done")

    async def _record(self, job: Job, event: str) -> None:
        await self._database.pool.execute(
            "INSERT INTO effects (job_id, event, worker, attempt) VALUES ($1, $2, $3, $4)",
            job.id,
            event,
            self._worker_id,
            job.attempts,
        )


async def main(dsn: str, worker_id: str, lease_s: float) -> None:
    configure_logging("warning", stream=sys.stderr)
    with tempfile.TemporaryDirectory() as data_dir:
        database = Database(dsn, data_dir)
        await database.start(run_migrations=False)
        worker = Worker(
            database,
            JobQueue(database),
            {"effect": EffectHandler(database, worker_id)},
            worker_id=worker_id,
            lease_s=lease_s,
        )
        await worker.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        print("ready", flush=True)
        await stop.wait()
        await worker.stop(grace_s=5)
        await database.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
