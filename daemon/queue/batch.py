"""Group commit for finished jobs: the ``done`` writes of jobs that finish together share one UPDATE.

While one write is in flight, the jobs finishing meanwhile queue up and go in the next one, so under
load each round trip completes many jobs, and an idle queue still writes a lone job at once.
"""

from __future__ import annotations

import asyncio

from daemon.queue.leases import LeaseStore
from daemon.queue.model import Job


class CompletionBatch:
    def __init__(self, leases: LeaseStore) -> None:
        self._leases = leases
        self._waiting: list[tuple[Job, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task | None = None

    async def complete(self, job: Job) -> bool:
        """True once the job is recorded done; False if its claim no longer held."""
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((job, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write(), name="job-completions")
        return await done

    async def _write(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    held = await self._leases.complete([job for job, _ in batch])
                except asyncio.CancelledError:
                    for _, done in batch:
                        done.cancel()
                    raise
                except Exception as exc:  # noqa: BLE001 - each waiting job decides how to retry
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for job, done in batch:
                    if not done.done():
                        done.set_result(job.id in held)
        finally:
            self._writer = None
