"""Durable PostgreSQL job queue: enqueue in the caller's transaction, run with leases, retry with backoff."""

from daemon.queue.execute import JobHandler
from daemon.queue.model import Job
from daemon.queue.retry import RetryPolicy
from daemon.queue.store import JobQueue
from daemon.queue.worker import Worker

__all__ = ["Job", "JobHandler", "JobQueue", "RetryPolicy", "Worker"]
