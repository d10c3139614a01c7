"""Poller behaviour on a real database: windows, cursor, inbox feeding, schedule and triggers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from daemon.pollers.base import Poller, RunOutcome
from daemon.pollers.cursors import PollCursor
from daemon.webhooks.inbox import InboxStore
from tests.integration.poller_fakes import (
    CONNECTION,
    RecordingStream,
    calls_at_least,
    create_schema,
    fetch_calls,
)
from tests.integration.waiting import wait_until

OVERLAP = dt.timedelta(seconds=30)
LOOKBACK = dt.timedelta(hours=6)


@pytest.fixture
async def pool(db):
    await create_schema(db.pool)
    return db.pool


@pytest.fixture
def stream(pool):
    return RecordingStream(pool, "widgets", interval_s=3600)


def make_poller(db, stream, **knobs) -> Poller:
    knobs = {"overlap_s": OVERLAP.total_seconds(), "initial_lookback_s": LOOKBACK.total_seconds(), **knobs}
    return Poller(stream, db.pool, InboxStore(db), **knobs)


async def cursor_row(pool):
    return await pool.fetchrow("SELECT * FROM poll_cursors WHERE connection = $1 AND stream = 'widgets'", CONNECTION)


async def add_item(pool, key: str, updated_at: dt.datetime) -> None:
    await pool.execute(
        """INSERT INTO fake_items (key, updated_at, body) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body""",
        key,
        updated_at,
        json.dumps({"number": key, "updated_at": updated_at.isoformat()}),
    )


async def cursor_at_is(pool, value: dt.datetime) -> bool:
    return (await cursor_row(pool))["cursor_at"] == value


async def has_no_failures(pool) -> bool:
    return (await cursor_row(pool))["failures"] == 0


async def test_first_window_uses_the_lookback_and_the_next_starts_at_previous_start_minus_overlap(db, pool, stream):
    poller = make_poller(db, stream)
    assert await poller.run_once() is RunOutcome.COMPLETED
    assert await poller.run_once(force=True) is RunOutcome.COMPLETED

    first, second = await fetch_calls(pool, "widgets")
    assert first["since"] == first["until"] - LOOKBACK
    assert second["since"] == first["until"] - OVERLAP
    row = await cursor_row(pool)
    assert row["cursor_at"] == second["until"] - OVERLAP
    assert row["last_run_at"] == second["until"]
    assert row["last_error"] is None


async def test_a_failed_run_keeps_the_cursor_and_records_the_error(db, pool, stream):
    poller = make_poller(db, stream)
    await poller.run_once()
    before = await cursor_row(pool)

    stream.fail = True
    assert await poller.run_once(force=True) is RunOutcome.FAILED
    failed = await cursor_row(pool)
    assert failed["cursor_at"] == before["cursor_at"]
    assert failed["last_success_at"] == before["last_success_at"]
    assert failed["failures"] == 1
    assert "remote says no" in failed["last_error"]

    stream.fail = False
    assert await poller.run_once(force=True) is RunOutcome.COMPLETED
    calls = await fetch_calls(pool, "widgets")
    assert calls[2]["since"] == calls[1]["since"] == before["cursor_at"]
    recovered = await cursor_row(pool)
    assert recovered["last_error"] is None and recovered["failures"] == 0


async def test_a_failing_stream_is_retried_with_backoff_until_it_succeeds(db, pool, stream):
    poller = make_poller(db, stream, retry_base_s=0.01)
    await poller.run_once()
    await pool.execute("UPDATE poll_cursors SET next_run_at = now()")  # due again
    stream.fail = True
    poller.start()
    try:
        await calls_at_least(pool, "widgets", 4)
        stream.fail = False
        await wait_until(lambda: has_no_failures(pool))
    finally:
        await poller.stop()
    calls = await fetch_calls(pool, "widgets")
    assert len(calls) >= 5
    assert {call["since"] for call in calls[1:]} == {calls[0]["until"] - OVERLAP}  # the window held while failing
    assert (await cursor_row(pool))["cursor_at"] == calls[-1]["until"] - OVERLAP


async def test_downtime_is_covered_by_the_first_run_after_a_restart(db, pool, stream):
    await make_poller(db, stream).run_once()
    # Three hours pass with the daemon down: the stored row ages, nothing else changes.
    await pool.execute(
        """UPDATE poll_cursors SET cursor_at = cursor_at - interval '3 hours',
                  next_run_at = next_run_at - interval '3 hours', last_run_at = last_run_at - interval '3 hours'"""
    )
    stored = await cursor_row(pool)
    await add_item(pool, "DOWN-1", stored["cursor_at"] + dt.timedelta(hours=1))

    restarted = make_poller(db, stream)
    assert await restarted.run_once() is RunOutcome.COMPLETED
    calls = await fetch_calls(pool, "widgets")
    assert calls[-1]["since"] == stored["cursor_at"]
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE delivery_id LIKE 'widgets:DOWN-1:%'") == 1


async def test_items_land_in_the_inbox_once_per_version(db, pool, stream):
    now = await pool.fetchval("SELECT now()")
    first_seen = now - dt.timedelta(minutes=5)
    await add_item(pool, "A", first_seen)
    await add_item(pool, "B", now - dt.timedelta(minutes=4))
    poller = make_poller(db, stream)

    await poller.run_once()
    rows = await pool.fetch("SELECT source, connection, delivery_id, topic, body FROM inbox ORDER BY delivery_id")
    assert [r["delivery_id"] for r in rows] == [
        f"widgets:A:{first_seen.isoformat()}",
        f"widgets:B:{(now - dt.timedelta(minutes=4)).isoformat()}",
    ]
    assert {(r["source"], r["connection"], r["topic"]) for r in rows} == {("poll", CONNECTION, "fake.widget")}
    assert json.loads(rows[0]["body"])["number"] == "A"
    assert await pool.fetchval("SELECT count(*) FROM jobs WHERE kind = 'inbox'") == 2

    await poller.run_once(force=True)  # the overlap re-reads nothing new here, but an identical version is a no-op
    await add_item(pool, "A", first_seen)
    await poller.run_once(force=True)
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 2

    changed = await pool.fetchval("SELECT now()")
    await add_item(pool, "A", changed)
    await poller.run_once(force=True)
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 3
    assert await pool.fetchval("SELECT count(*) FROM jobs WHERE kind = 'inbox'") == 3


async def test_a_stream_that_is_not_due_is_skipped(db, pool, stream):
    poller = make_poller(db, stream)
    assert await poller.run_once() is RunOutcome.COMPLETED
    assert await poller.run_once() is RunOutcome.SKIPPED
    assert await make_poller(db, stream).run_once() is RunOutcome.SKIPPED  # another instance sees the same row
    assert len(await fetch_calls(pool, "widgets")) == 1


async def test_the_loop_fetches_once_per_interval(db, pool):
    stream = RecordingStream(pool, "widgets", interval_s=0.3)
    poller = make_poller(db, stream)
    poller.start()
    try:
        calls = await calls_at_least(pool, "widgets", 4)
    finally:
        await poller.stop()
    starts = [call["until"] for call in calls]
    assert all(later - earlier >= dt.timedelta(seconds=0.3) for earlier, later in zip(starts, starts[1:]))


async def test_triggers_run_early_and_collapse_into_one_run(db, pool, stream):
    poller = make_poller(db, stream, debounce_s=0.05)
    poller.start()
    try:
        await calls_at_least(pool, "widgets", 1)
        for _ in range(3):
            poller.trigger()
        calls = await calls_at_least(pool, "widgets", 2)
        await wait_until(lambda: cursor_at_is(pool, calls[1]["until"] - OVERLAP))  # then it sleeps an hour
    finally:
        await poller.stop()
    assert len(await fetch_calls(pool, "widgets")) == 2


async def test_stopping_mid_run_leaves_the_window_to_be_read_again(db, pool):
    stream = RecordingStream(pool, "widgets", interval_s=3600, delay_s=3600)
    poller = make_poller(db, stream)
    poller.start()
    try:
        await calls_at_least(pool, "widgets", 1)
    finally:
        await poller.stop()
    row = await cursor_row(pool)
    assert row["cursor_at"] is None and row["last_success_at"] is None
    async with PollCursor(pool, CONNECTION, "widgets").locked() as held:
        assert held  # the abandoned run let go of its lock


async def test_pollers_sharing_run_slots_never_run_more_at_once_than_the_slots(db, pool):
    """Each run holds pool connections; the program bounds concurrent runs so polling cannot drain the pool."""
    import asyncio

    slots = asyncio.Semaphore(2)
    streams = [RecordingStream(pool, f"s{n}", interval_s=3600, delay_s=0.2) for n in range(5)]
    pollers = [make_poller(db, stream, run_slots=slots) for stream in streams]
    outcomes = await asyncio.gather(*(poller.run_once() for poller in pollers))
    assert set(outcomes) == {RunOutcome.COMPLETED}
    calls = await pool.fetch("SELECT entered_at, left_at FROM fake_poll_calls")
    events = sorted([(c["entered_at"], 1) for c in calls] + [(c["left_at"], -1) for c in calls])
    running, most = 0, 0
    for _, step in events:
        running += step
        most = max(most, running)
    assert len(calls) == 5 and most == 2
