"""Two daemon processes polling one database: each stream runs once per interval, never concurrently."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.poller_fakes import calls_at_least, create_schema

INTERVAL = dt.timedelta(seconds=0.5)
STREAMS = ("alpha", "beta")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def pollers(db, database_url):
    """Two processes running the same pollers; stopped whatever the test does."""
    await create_schema(db.pool)
    command = [sys.executable, "-m", "tests.integration.poller_fakes", database_url, *STREAMS]
    command += ["--interval", str(INTERVAL.total_seconds()), "--delay", "0.2"]
    processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def test_each_stream_runs_once_per_interval_and_never_twice_at_once(db, pollers):
    for process in pollers:
        assert process.stdout.readline().strip() == "polling"

    for stream in STREAMS:
        calls = await calls_at_least(db.pool, stream, 6)
        finished = [call for call in calls if call["left_at"] is not None]
        for earlier, later in zip(finished, finished[1:]):
            assert later["entered_at"] >= earlier["left_at"], "two runs of one stream overlapped"
            assert later["until"] - earlier["until"] >= INTERVAL, "a stream ran twice within one interval"
