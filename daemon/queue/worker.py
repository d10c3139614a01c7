"""The worker pool: claims due jobs, runs them concurrently, keeps their leases alive, stops cleanly.

Idle workers sleep until a NOTIFY (any writer's INSERT), a freed slot, the next delayed job, the next
foreign lease expiry (a crashed worker's job to reclaim) or the slow safety poll. Several processes on
one database are safe: claims use ``FOR UPDATE SKIP LOCKED`` and every outcome write is fenced.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Mapping

from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.logs.setup import get_logger
from daemon.queue.execute import JobHandler, JobRunner
from daemon.queue.model import Job
from daemon.queue.notify import JobListener
from daemon.queue.retry import RetryPolicy
from daemon.queue.store import JobQueue

MIN_WAIT_S = 0.01  # due jobs another worker is claiming right now: look again shortly
DB_PAUSE_S = 1.0  # after a failed claim cycle
CLAIM_AHEAD = 2  # jobs of a connection claimed, over those it may run at once: the rest start as they finish
PURGE_EVERY_S = 600.0


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        database: Database,
        queue: JobQueue,
        handlers: Mapping[str, JobHandler],
        *,
        concurrency: int = 16,
        lease_s: float = 60.0,
        worker_id: str | None = None,
        busy_connections: Callable[[], Collection[str]] = frozenset,
        connection_concurrency: int = 4,
        connection_caps: Mapping[str, int] | None = None,
        local_concurrency: int | None = None,
        claim_batch: int = 16,
        safety_poll_s: float = 30.0,
        busy_recheck_s: float = 1.0,
        retry_policy: RetryPolicy | None = None,
        keep_done_s: float = 7 * 86400,
    ) -> None:
        """``busy_connections``: connections whose rate limiter is saturated or paused right now; their
        jobs are left for later. ``connection_concurrency``: at most this many jobs of one connection
        run at once in this process, so a slow shop cannot take every slot; ``connection_caps`` sets
        it per connection (a job of a connection whose API takes 16 requests at once may run 16 times
        at once). ``concurrency`` counts the jobs of connections only: jobs without one (database work,
        such as inbox items, which their handlers batch) run up to ``local_concurrency`` at once on a
        budget of their own, so a burst of them neither takes the connections' slots nor is held to
        the few jobs a remote API allows, and many at once make large batches.
        ``keep_done_s``: finished jobs older than this are purged, so the table stays small."""
        self.worker_id = worker_id or default_worker_id()
        self._queue = queue
        self._leases = queue.leases
        self._runner = JobRunner(queue.leases, handlers, retry_policy or RetryPolicy())
        self._wake = asyncio.Event()
        self._listener = JobListener(database, self._wake.set, ping_interval_s=safety_poll_s)
        self._concurrency = concurrency
        self._lease_s = lease_s
        self._busy_connections = busy_connections
        self._connection_concurrency = connection_concurrency
        self._connection_caps = dict(connection_caps or {})
        self._local_concurrency = concurrency if local_concurrency is None else local_concurrency
        self._claim_batch = claim_batch
        self._safety_poll_s = safety_poll_s
        self._busy_recheck_s = busy_recheck_s
        self._keep_done_s = keep_done_s
        self._running: dict[int, tuple[Job, asyncio.Task]] = {}  # claimed: started or waiting for a slot
        self._started: set[int] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self._gates: dict[str | None, asyncio.Semaphore] = {}  # per connection: its cap on jobs at once
        self._stopping = False
        self._reap_at = 0.0
        self._purge_at = 0.0
        self._loop_task: asyncio.Task | None = None
        self._heartbeat_task: asyncio.Task | None = None
        self._log = get_logger(worker=self.worker_id)

    async def start(self) -> None:
        await self._listener.start()
        self._loop_task = asyncio.create_task(self._claim_loop(), name="job-claims")
        self._heartbeat_task = asyncio.create_task(self._heartbeat(), name="job-heartbeat")
        self._log.info(
            "queue.worker.started",
            concurrency=self._concurrency,
            local_concurrency=self._local_concurrency,
            lease_s=self._lease_s,
        )

    async def stop(self, grace_s: float = 20.0) -> None:
        """Stop claiming; hand back the jobs claimed ahead at once, give running jobs ``grace_s`` to
        finish, then cancel them and hand their jobs back too (pending, attempt not counted) so
        another worker can take them at once."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            await self._loop_task
        waiting = [(job, task) for job, task in self._running.values() if job.id not in self._started]
        for _, task in waiting:  # claimed ahead, never started: back to the queue at once
            task.cancel()
        await asyncio.gather(*(task for _, task in waiting), return_exceptions=True)
        await self._release([job for job, _ in waiting])
        tasks = {task: job for job, task in self._running.values() if job.id in self._started}
        if tasks:
            _, late = await asyncio.wait(set(tasks), timeout=grace_s)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
            await self._release([tasks[task] for task in late])
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
            await asyncio.gather(self._heartbeat_task, return_exceptions=True)
        await self._listener.close()
        self._log.info("queue.worker.stopped")

    async def _claim_loop(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before looking, so a NOTIFY that arrives meanwhile is not lost
            try:
                await self._reap_expired()
                await self._purge_done()
                await self._fill()
                timeout = await self._idle_timeout()
            except CONNECTION_ERRORS as exc:
                self._log.warning("queue.db_unavailable", error=repr(exc))
                timeout = DB_PAUSE_S
            except Exception:  # noqa: BLE001 - the loop must outlive any single failure
                self._log.exception("queue.claim_loop_error")
                timeout = DB_PAUSE_S
            if self._stopping:
                return
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                pass

    async def _fill(self) -> None:
        """Claim until every slot is taken and a batch more waits for one, or nothing more is claimable.

        Jobs claimed ahead start the moment a slot frees, and claims go in batches: while every slot
        is busy, the next claim waits until half a batch has room.
        """
        while not self._stopping:
            remote_room, local_room = self._claimable()
            wanted = min(remote_room + local_room, self._claim_batch)
            if wanted == 0:
                return
            full, room = self._connection_limits(self._busy_connections()) if remote_room else (set(), {})
            jobs = await self._leases.claim(
                self.worker_id,
                wanted,
                self._lease_s,
                full=full,
                room=room,
                per_connection=CLAIM_AHEAD * self._connection_concurrency if remote_room else 0,
                local_room=local_room,
            )
            for job in jobs:
                task = asyncio.create_task(self._run(job), name=f"job-{job.id}")
                self._running[job.id] = (job, task)
                task.add_done_callback(lambda task, job_id=job.id: self._finished(job_id, task))
            if len(jobs) < wanted:
                return

    async def _run(self, job: Job) -> None:
        slot = self._slots if job.connection is not None else contextlib.nullcontext()
        async with self._gate(job.connection), slot:  # the connection's turn first: it holds no slot
            self._started.add(job.id)
            await self._runner.run(job)

    def _finished(self, job_id: int, task: asyncio.Task) -> None:
        job, _ = self._running.pop(job_id, (None, None))
        self._started.discard(job_id)
        remote_room, local_room = self._claimable()
        room = local_room if job is not None and job.connection is None else remote_room
        if room:  # a job's end wakes the claims only once its budget is worth a claim again
            self._wake.set()
        if not task.cancelled() and task.exception() is not None:  # the lease expires; it runs again
            self._log.error("job.outcome_lost", job_id=job_id, exc_info=task.exception())

    def _connection_limits(self, busy: Collection[str]) -> tuple[set[str], dict[str, int]]:
        """Connections to skip entirely, and how many more jobs the partly used ones may be claimed:
        up to twice their cap, the second half waiting ahead for the first to finish."""
        claimed = Counter(job.connection for job, _ in self._running.values() if job.connection is not None)
        room = {c: CLAIM_AHEAD * self._cap(c) - claimed[c] for c in {*self._connection_caps, *claimed}}
        full = set(busy) | {c for c, n in room.items() if n <= 0}
        return full, {c: n for c, n in room.items() if c not in full}

    def _claimable(self) -> tuple[int, int]:
        """How many more jobs are worth claiming now, of connections and without one: up to a batch
        waiting ahead of the connections' slots, and twice the slots of the jobs without one; but
        while all of a budget's slots are taken, nothing until half a batch has room."""
        local = sum(job.connection is None for job, _ in self._running.values())
        remote = len(self._running) - local
        remote_room = self._concurrency + self._claim_batch - remote
        local_room = CLAIM_AHEAD * self._local_concurrency - local
        half = self._claim_batch // 2
        if remote >= self._concurrency and remote_room < half:
            remote_room = 0
        if local >= self._local_concurrency and local_room < half:
            local_room = 0
        return max(0, remote_room), max(0, local_room)

    def _cap(self, connection: str | None) -> int:
        """How many jobs of this connection (None: without one) may run at once."""
        if connection is None:
            return self._local_concurrency
        return self._connection_caps.get(connection, self._connection_concurrency)

    def _gate(self, connection: str | None) -> asyncio.Semaphore:
        gate = self._gates.get(connection)
        if gate is None:
            gate = self._gates[connection] = asyncio.Semaphore(self._cap(connection))
        return gate

    async def _idle_timeout(self) -> float:
        remote_room, local_room = self._claimable()
        if not remote_room and not local_room:
            return self._safety_poll_s  # a finishing job wakes the loop
        busy = frozenset(self._busy_connections())  # a snapshot: the live set may change meanwhile
        full, _ = self._connection_limits(busy)
        pending_in, expiry_in = await self._leases.next_due(
            self.worker_id, full, local=local_room > 0, remote=remote_room > 0
        )
        if expiry_in is not None:
            self._reap_at = min(self._reap_at, time.monotonic() + expiry_in)
        waits = [self._safety_poll_s, *(s for s in (pending_in, expiry_in) if s is not None)]
        if busy:
            waits.append(self._busy_recheck_s)  # rate limiters free up without telling us
        return max(MIN_WAIT_S, min(waits))

    async def _reap_expired(self) -> None:
        if time.monotonic() < self._reap_at:
            return
        for job in await self._leases.requeue_expired():
            self._log.warning(
                "job.lease_expired",
                job_id=job.id,
                kind=job.kind,
                connection=job.connection,
                locked_by=job.locked_by,
                attempt=job.attempts,
                max_attempts=job.max_attempts,  # reached: parked as failed instead of requeued
            )
        self._reap_at = time.monotonic() + self._safety_poll_s

    async def _purge_done(self) -> None:
        if time.monotonic() < self._purge_at:
            return
        purged = await self._queue.purge_done(self._keep_done_s)
        if purged:
            self._log.info("queue.purged", jobs=purged, older_than_s=self._keep_done_s)
        self._purge_at = time.monotonic() + PURGE_EVERY_S

    async def _heartbeat(self) -> None:
        """Renew every running job's lease; cancel a job whose lease was lost (another worker may
        have it now), so that one job never runs twice at once."""
        while True:
            await asyncio.sleep(self._lease_s / 3)
            ids = list(self._running)
            if not ids:
                continue
            try:
                held = await self._leases.renew(self.worker_id, ids, self._lease_s)
            except CONNECTION_ERRORS as exc:
                self._log.warning("queue.db_unavailable", error=repr(exc))
                continue
            except Exception:  # noqa: BLE001 - keep renewing; a dead heartbeat means double runs
                self._log.exception("queue.heartbeat_error")
                continue
            for job_id in set(ids) - held:
                entry = self._running.get(job_id)
                if entry is not None:
                    self._log.warning("job.lease_lost", job_id=job_id, kind=entry[0].kind, connection=entry[0].connection)
                    entry[1].cancel()

    async def _release(self, jobs: list[Job]) -> None:
        for job in jobs:
            try:
                await self._leases.release(job)
            except CONNECTION_ERRORS as exc:  # the lease then simply expires
                self._log.warning("queue.db_unavailable", error=repr(exc), job_id=job.id)
            else:
                self._log.info("job.released", job_id=job.id, kind=job.kind, connection=job.connection)
