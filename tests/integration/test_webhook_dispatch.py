"""The 'inbox' job handler: routes a stored item by (source, topic), then marks the row."""

from __future__ import annotations

import pytest

from daemon.errors import RetryableError, TerminalError
from daemon.queue.model import Job
from daemon.webhooks.dispatch import InboxDispatcher, InboxItem
from daemon.webhooks.inbox import InboxStore


class Recorder:
    def __init__(self, error: Exception | None = None) -> None:
        self.items: list[InboxItem] = []
        self.error = error

    async def handle(self, item: InboxItem) -> None:
        self.items.append(item)
        if self.error is not None:
            raise self.error


async def job_for(db, inbox_id: int) -> Job:
    record = await db.pool.fetchrow("SELECT * FROM jobs WHERE payload->>'inbox_id' = $1", str(inbox_id))
    return Job.from_record(record)


async def stored(db, source: str, topic: str, body: bytes = b'{"id": 7}') -> tuple[InboxStore, int]:
    inbox = InboxStore(db)
    inbox_id = await inbox.store(source, "shop-a", f"{source}-{topic}", topic, body, {"X-Shopify-Topic": topic})
    return inbox, inbox_id


async def test_routes_by_source_and_topic_and_marks_processed(db):
    inbox, inbox_id = await stored(db, "shopify", "orders/create")
    orders, other = Recorder(), Recorder()
    dispatcher = InboxDispatcher(inbox, {("shopify", "orders/create"): orders, ("poll", "orders/create"): other})

    await dispatcher.handle(await job_for(db, inbox_id))

    [item] = orders.items
    assert (item.inbox_id, item.source, item.connection, item.topic, item.payload) == (
        inbox_id, "shopify", "shop-a", "orders/create", {"id": 7}
    )
    assert item.headers == {"X-Shopify-Topic": "orders/create"} and item.received_at is not None
    assert other.items == []
    assert (await inbox.get(inbox_id)).status == "processed"


async def test_finished_row_is_not_handled_twice(db):
    inbox, inbox_id = await stored(db, "shopify", "orders/create")
    handler = Recorder()
    dispatcher = InboxDispatcher(inbox, {("shopify", "orders/create"): handler})
    job = await job_for(db, inbox_id)
    await dispatcher.handle(job)
    await dispatcher.handle(job)
    assert len(handler.items) == 1


async def test_topic_without_handler_is_ignored(db):
    inbox, inbox_id = await stored(db, "woocommerce", "coupon.created")
    await InboxDispatcher(inbox, {}).handle(await job_for(db, inbox_id))
    row = await inbox.get(inbox_id)
    assert row.status == "ignored" and row.reason == "no handler for this topic"


async def test_terminal_error_rejects_the_row_and_propagates(db):
    inbox, inbox_id = await stored(db, "rackbeat", "inventory.changed")
    handler = Recorder(TerminalError("unknown SKU ABC-1"))
    with pytest.raises(TerminalError):
        await InboxDispatcher(inbox, {("rackbeat", "inventory.changed"): handler}).handle(await job_for(db, inbox_id))
    row = await inbox.get(inbox_id)
    assert (row.status, row.reason) == ("rejected", "unknown SKU ABC-1")


async def test_rejected_row_is_handled_again_when_the_operator_retries_its_job(db):
    inbox, inbox_id = await stored(db, "rackbeat", "inventory.changed")
    handler = Recorder(TerminalError("unknown SKU ABC-1"))
    dispatcher = InboxDispatcher(inbox, {("rackbeat", "inventory.changed"): handler})
    job = await job_for(db, inbox_id)
    with pytest.raises(TerminalError):
        await dispatcher.handle(job)
    handler.error = None
    await dispatcher.handle(job)
    assert len(handler.items) == 2 and (await inbox.get(inbox_id)).status == "processed"


async def test_retryable_error_propagates_and_leaves_the_row_received(db):
    inbox, inbox_id = await stored(db, "poll", "shop.order")
    handler = Recorder(RetryableError("429 from Rackbeat", retry_after=3))
    with pytest.raises(RetryableError):
        await InboxDispatcher(inbox, {("poll", "shop.order"): handler}).handle(await job_for(db, inbox_id))
    assert (await inbox.get(inbox_id)).status == "received"


async def test_unparseable_stored_body_is_rejected_as_terminal(db):
    inbox, inbox_id = await stored(db, "poll", "shop.order", body=b"[]")
    handler = Recorder()
    with pytest.raises(TerminalError, match="not an object"):
        await InboxDispatcher(inbox, {("poll", "shop.order"): handler}).handle(await job_for(db, inbox_id))
    assert handler.items == [] and (await inbox.get(inbox_id)).status == "rejected"


async def test_missing_row_is_terminal(db):
    inbox, inbox_id = await stored(db, "poll", "shop.order")
    job = await job_for(db, inbox_id)
    await db.pool.execute("DELETE FROM inbox")
    with pytest.raises(TerminalError, match="does not exist"):
        await InboxDispatcher(inbox, {}).handle(job)


class BatchRecorder(Recorder):
    """Takes the items handed over together in one call; ``bad`` items fail alone."""

    def __init__(self, bad: set[int]) -> None:
        super().__init__()
        self.calls: list[list[int]] = []
        self.bad = bad

    async def handle_many(self, items):
        self.calls.append([item.inbox_id for item in items])
        return [TerminalError(f"bad item {i.inbox_id}") if i.payload["id"] in self.bad else None for i in items]


async def test_jobs_running_together_are_dispatched_in_one_batch_and_end_each_with_its_own_outcome(db):
    import asyncio

    inbox = InboxStore(db)
    ids = [await inbox.store("rackbeat", "rackbeat", f"d{n}", "inventory.changed", b'{"id": %d}' % n, {}) for n in range(6)]
    handler = BatchRecorder(bad={3})
    dispatcher = InboxDispatcher(inbox, {("rackbeat", "inventory.changed"): handler}, max_in_flight=1)
    jobs = [await job_for(db, inbox_id) for inbox_id in ids]
    outcomes = await asyncio.gather(*(dispatcher.handle(job) for job in jobs), return_exceptions=True)

    assert sorted(i for call in handler.calls for i in call) == ids and len(handler.calls) <= 2
    assert [type(o).__name__ for o in outcomes] == ["NoneType"] * 3 + ["TerminalError"] + ["NoneType"] * 2
    statuses = [(await inbox.get(inbox_id)).status for inbox_id in ids]
    assert statuses == ["processed"] * 3 + ["rejected"] + ["processed"] * 2


async def test_a_slow_handler_holds_up_no_other_item_of_its_batch(db):
    """A product webhook waiting for a rate-limited shop must not stall the order webhooks beside it."""
    import asyncio

    inbox = InboxStore(db)
    slow_id = await inbox.store("woocommerce", "woo", "d1", "product.updated", b'{"id": 1}', {})
    fast_id = await inbox.store("shopify", "shop-a", "d2", "orders/create", b'{"id": 2}', {})
    gate = asyncio.Event()

    class Slow(Recorder):
        async def handle(self, item):
            await gate.wait()

    routes = {("woocommerce", "product.updated"): Slow(), ("shopify", "orders/create"): Recorder()}
    dispatcher = InboxDispatcher(inbox, routes, max_in_flight=1)
    slow = asyncio.create_task(dispatcher.handle(await job_for(db, slow_id)))
    await asyncio.wait_for(dispatcher.handle(await job_for(db, fast_id)), 5)
    assert (await inbox.get(fast_id)).status == "processed" and not slow.done()
    gate.set()
    await slow
    assert (await inbox.get(slow_id)).status == "processed"
