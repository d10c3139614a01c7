"""Running one claimed job: call its handler, turn the way it ended into the job's next state.

Return → done. RetryableError (or any unexpected exception, logged with its traceback) → pending again
after a backoff, or failed once ``max_attempts`` are used. TerminalError → failed at once, with the
``blocked_on`` key from its context when it waits for something (``sku:ABC``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

import backoff
from structlog.typing import FilteringBoundLogger

from daemon.errors import RetryableError, TerminalError
from daemon.logs.setup import get_logger
from daemon.queue.batch import CompletionBatch
from daemon.queue.leases import LeaseStore
from daemon.queue.model import Job
from daemon.db.database import CONNECTION_ERRORS
from daemon.queue.retry import RetryPolicy, gave_up

OUTCOME_RETRY_S = 30.0  # then give up writing; the job runs again once its lease expires


class JobHandler(Protocol):
    async def handle(self, job: Job) -> None: ...


class JobRunner:
    def __init__(self, leases: LeaseStore, handlers: Mapping[str, JobHandler], retry_policy: RetryPolicy) -> None:
        self._leases = leases
        self._completions = CompletionBatch(leases)
        self._handlers = handlers
        self._retry_policy = retry_policy

    async def run(self, job: Job) -> None:
        """Handler failures never escape. Cancelled (shutdown, lost lease): no outcome is written.
        An outcome that cannot be written leaves the job to its lease expiry, and it runs again."""
        job_log = get_logger(job_id=job.id, kind=job.kind, connection=job.connection)
        handler = self._handlers.get(job.kind)
        if handler is None:
            await self._fail(job, job_log, f"unknown job kind {job.kind!r}: no handler registered")
            return
        job_log.debug("job.started", attempt=job.attempts)
        try:
            await handler.handle(job)
        except TerminalError as exc:
            await self._fail(job, job_log, exc.reason, exc.context.get("blocked_on"))
        except RetryableError as exc:
            await self._retry(job, job_log, exc.reason, exc.retry_after)
        except Exception as exc:  # noqa: BLE001 - a bug or an unforeseen failure: retry, loudly
            job_log.error("job.crashed", error=repr(exc), exc_info=True)
            await self._retry(job, job_log, f"{type(exc).__name__}: {exc}", None)
        else:
            await self._settle(job_log, lambda: self._completions.complete(job))
            job_log.debug("job.done", attempt=job.attempts)

    async def _retry(self, job: Job, job_log: FilteringBoundLogger, reason: str, retry_after: float | None) -> None:
        if job.attempts >= job.max_attempts:
            await self._fail(job, job_log, gave_up(job.attempts, reason))
            return
        delay = self._retry_policy.delay(job.attempts, retry_after)
        job_log.warning("job.retry", attempt=job.attempts, delay_s=round(delay, 3), reason=reason)
        await self._settle(job_log, lambda: self._leases.retry_later(job, delay, reason))

    async def _fail(self, job: Job, job_log: FilteringBoundLogger, reason: str, blocked_on: str | None = None) -> None:
        job_log.error("job.failed", attempt=job.attempts, reason=reason, blocked_on=blocked_on)
        await self._settle(job_log, lambda: self._leases.park(job, reason, blocked_on))

    async def _settle(self, job_log: FilteringBoundLogger, write: Callable[[], Awaitable[bool]]) -> None:
        try:
            held = await _write_through_outages(write)
        except CONNECTION_ERRORS as exc:
            job_log.error("job.outcome_lost", error=repr(exc))
            return
        if not held:
            job_log.warning("job.lease_lost")


@backoff.on_exception(backoff.expo, CONNECTION_ERRORS, max_time=OUTCOME_RETRY_S, max_value=2)
async def _write_through_outages(write: Callable[[], Awaitable[bool]]) -> bool:
    return await write()
