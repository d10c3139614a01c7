"""Concurrent stores share one statement; one bad item fails alone; a dead database fails everyone."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from daemon.db.batching import BatchWriter
from daemon.webhooks.inbox import InboxStore


class Gate:
    """A write function whose first batch stays in flight until released, so the next ones queue up."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.release = asyncio.Event()
        self.fail_on = fail_on

    async def write(self, items: list[str]) -> list[str]:
        self.batches.append(items)
        if len(self.batches) == 1:
            await self.release.wait()
        if self.fail_on in items:
            raise ValueError(f"cannot write {self.fail_on}")
        return [item.upper() for item in items]


def writer(gate: Gate, *, max_batch: int = 100, isolate=lambda exc: isinstance(exc, ValueError)) -> BatchWriter:
    return BatchWriter(gate.write, max_batch=max_batch, max_in_flight=1, isolate=isolate)


async def submit_all(batch_writer: BatchWriter, gate: Gate, items: list[str]) -> list:
    tasks = [asyncio.create_task(batch_writer.submit(item)) for item in items]
    while not gate.batches:
        await asyncio.sleep(0)
    gate.release.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_items_submitted_together_leave_together_from_the_first_write():
    gate = Gate()
    results = await submit_all(writer(gate, max_batch=3), gate, ["a", "b", "c", "d", "e", "f"])
    assert results == ["A", "B", "C", "D", "E", "F"]
    assert gate.batches == [["a", "b", "c"], ["d", "e", "f"]]


async def test_items_arriving_during_a_write_leave_together_in_order():
    gate = Gate()
    batch_writer = writer(gate)
    first = asyncio.create_task(batch_writer.submit("a"))
    while not gate.batches:
        await asyncio.sleep(0)
    later = [asyncio.create_task(batch_writer.submit(item)) for item in "bcd"]
    await asyncio.sleep(0)
    gate.release.set()
    assert await asyncio.gather(first, *later) == ["A", "B", "C", "D"]
    assert gate.batches == [["a"], ["b", "c", "d"]]


async def test_two_writes_in_flight_take_what_waits_when_each_starts():
    batches = []

    async def write(items):
        batches.append(items)
        await asyncio.sleep(0.01)
        return items

    batch_writer = BatchWriter(write, max_batch=2, max_in_flight=2, isolate=lambda exc: False)
    assert await asyncio.gather(*(batch_writer.submit(i) for i in range(5))) == [0, 1, 2, 3, 4]
    assert batches == [[0, 1], [2, 3], [4]]


async def test_a_bad_item_fails_alone():
    gate = Gate(fail_on="c")
    results = await submit_all(writer(gate), gate, ["a", "b", "c", "d"])
    assert results[:2] == ["A", "B"] and results[3] == "D"
    assert isinstance(results[2], ValueError)
    assert gate.batches == [["a", "b", "c", "d"], ["a"], ["b"], ["c"], ["d"]]


async def test_an_error_not_isolated_reaches_every_caller_of_the_batch():
    gate = Gate(fail_on="c")
    results = await submit_all(writer(gate, isolate=lambda exc: False), gate, ["a", "b", "c"])
    assert all(isinstance(r, ValueError) for r in results)


async def test_store_batch_with_a_row_postgres_refuses(db):
    inbox = InboxStore(db, max_in_flight=1)
    topics = ["shop.order"] * 3 + ["bad\x00topic"] + ["shop.order"] * 2
    results = await asyncio.gather(
        *(inbox.store("poll", "shop-a", f"d{i}", topic, b"{}", {}) for i, topic in enumerate(topics)),
        return_exceptions=True,
    )
    assert isinstance(results[3], asyncpg.PostgresError)
    assert all(isinstance(r, int) for i, r in enumerate(results) if i != 3)
    assert await db.pool.fetchval("SELECT count(*) FROM inbox") == 5
    assert await db.pool.fetchval("SELECT count(*) FROM jobs WHERE kind = 'inbox'") == 5


async def test_duplicates_within_one_batch_get_one_row_and_one_job(db):
    inbox = InboxStore(db, max_in_flight=1)
    results = await asyncio.gather(*(inbox.store("shopify", "s", k, "orders/create", b"{}", {}) for k in "xyyzy"))
    assert results[1] is not None and results[2] is None and results[4] is None
    assert len({r for r in results if r is not None}) == 3
    assert await db.pool.fetchval("SELECT count(*) FROM jobs") == 3


@pytest.mark.parametrize("max_in_flight", [1, 4])
async def test_many_concurrent_stores_are_all_written(db, max_in_flight):
    inbox = InboxStore(db, max_in_flight=max_in_flight, max_batch=7)
    ids = await asyncio.gather(*(inbox.store("poll", "s", f"k{i}", "t", b"{}", {"n": str(i)}) for i in range(50)))
    assert len(set(ids)) == 50
    stored = await db.pool.fetch("SELECT id, headers->>'n' AS n FROM inbox")
    assert {r["id"]: int(r["n"]) for r in stored} == {inbox_id: i for i, inbox_id in enumerate(ids)}
