"""``jobs list`` and ``jobs retry``: see what the queue holds and unstick failed jobs."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.config.model import Config
from daemon.db.database import Database
from daemon.logs.setup import configure_logging
from daemon.queue.model import STATES, Job
from daemon.queue.store import JobQueue

EXIT_USAGE = 2
ERROR_WIDTH = 80
COLUMNS = ("id", "kind", "connection", "state", "attempts", "run_at", "last_error")


def register(commands) -> None:
    parser = commands.add_parser("jobs", help="inspect and retry jobs")
    actions = parser.add_subparsers(dest="jobs_action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="show jobs, newest first")
    add_config_option(listing)
    listing.add_argument("--state", choices=STATES)
    listing.add_argument("--kind")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=list_jobs)

    retry = actions.add_parser("retry", help="give failed jobs a fresh start now")
    add_config_option(retry)
    retry.add_argument("id", nargs="?", type=int, help="the job to retry")
    retry.add_argument("--all-failed", action="store_true", help="retry every failed job")
    retry.set_defaults(func=retry_jobs)


async def list_jobs(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    async with _open_queue(config) as queue:
        jobs = await queue.list(state=args.state, kind=args.kind, limit=args.limit)
    print(format_table(COLUMNS, [_row(job) for job in jobs]) if jobs else "no jobs")
    return 0


async def retry_jobs(args) -> int:
    if (args.id is None) == (not args.all_failed):
        print("jobs retry: give a job ID or --all-failed (not both)", file=sys.stderr)
        return EXIT_USAGE
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    async with _open_queue(config) as queue:
        if args.all_failed:
            print(f"{await queue.retry_all_failed()} failed job(s) moved back to pending")
            return 0
        if await queue.retry(args.id):
            print(f"job {args.id} moved back to pending")
            return 0
        job = await queue.get(args.id)
    problem = "does not exist" if job is None else f"is {job.state}, not failed"
    print(f"job {args.id} {problem}", file=sys.stderr)
    return 1


@asynccontextmanager
async def _open_queue(config: Config) -> AsyncIterator[JobQueue]:
    configure_logging(config.daemon.log_level, stream=sys.stderr)  # keep stdout for the answer
    database = Database(config.daemon.database_url, config.daemon.data_dir, min_size=1, max_size=2)
    await database.start()
    try:
        yield JobQueue(database)
    finally:
        await database.close()


def _row(job: Job) -> tuple[str, ...]:
    error = " ".join((job.last_error or "").split())
    if len(error) > ERROR_WIDTH:
        error = error[: ERROR_WIDTH - 1] + "…"
    return (
        str(job.id),
        job.kind,
        job.connection or "-",
        job.state,
        f"{job.attempts}/{job.max_attempts}",
        job.run_at.strftime("%Y-%m-%d %H:%M:%SZ"),
        error,
    )


def format_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    lines = [headers, tuple("-" * w for w in widths), *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)
