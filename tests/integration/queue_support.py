"""What the queue tests share: waiting for a condition, recording handlers, a worker factory."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

import pytest

from daemon.queue import Job, JobQueue, Worker

TIMEOUT_S = 30.0  # generous: only a broken queue gets near it


async def wait_until(check: Callable[[], bool | Awaitable[bool]], *, timeout: float = TIMEOUT_S) -> None:
    async def poll() -> None:
        while True:
            result = check()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


class Recorder:
    """Records each job it starts and finishes; ``gates[connection]`` holds that connection's jobs
    until set; ``raises`` makes every run raise that error instead."""

    def __init__(self, *, raises: BaseException | None = None) -> None:
        self.started: list[Job] = []
        self.finished: list[Job] = []
        self.gates: dict[str | None, asyncio.Event] = {}
        self.raises = raises

    async def handle(self, job: Job) -> None:
        self.started.append(job)
        gate = self.gates.get(job.connection)
        if gate is not None:
            await gate.wait()
        if self.raises is not None:
            raise self.raises
        self.finished.append(job)

    def started_ids(self) -> list[int]:
        return [job.id for job in self.started]

    def in_flight(self, connection: str | None) -> int:
        return sum(1 for job in self.started if job.connection == connection) - sum(
            1 for job in self.finished if job.connection == connection
        )


@pytest.fixture
async def make_worker(db):
    """Started workers on the test database, stopped at teardown. The safety poll is an hour, so
    every wake-up a test sees comes from NOTIFY, a timer or a freed slot."""
    workers: list[Worker] = []

    async def make(handlers, **options) -> Worker:
        worker = Worker(db, JobQueue(db), handlers, **{"safety_poll_s": 3600.0, **options})
        await worker.start()
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        await worker.stop(grace_s=0)
