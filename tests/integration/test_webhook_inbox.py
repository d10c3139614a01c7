"""InboxStore on a real PostgreSQL: the row and its job commit together, once per delivery id."""

from __future__ import annotations

import asyncio

from daemon.webhooks.inbox import InboxStore


async def job_payloads(db) -> list[str]:
    return [r["payload"] for r in await db.pool.fetch("SELECT payload::text FROM jobs WHERE kind = 'inbox'")]


async def test_store_writes_row_and_job_and_skips_duplicates(db):
    inbox = InboxStore(db)
    first = await inbox.store("poll", "shop-a", "order:1:2026-11-22T10:00:00Z", "shop.order", b'{"id": 1}', {})
    again = await inbox.store("poll", "shop-a", "order:1:2026-11-22T10:00:00Z", "shop.order", b'{"id": 1}', {})
    assert isinstance(first, int) and again is None
    assert await job_payloads(db) == [f'{{"inbox_id": {first}}}']

    row = await inbox.get(first)
    assert (row.source, row.connection, row.topic, row.status, row.body) == (
        "poll", "shop-a", "shop.order", "received", b'{"id": 1}'
    )


async def test_concurrent_duplicates_produce_one_row_and_one_job(db):
    inbox = InboxStore(db)
    ids = await asyncio.gather(*(inbox.store("shopify", "s", "d-1", "orders/paid", b"{}", {}) for _ in range(10)))
    assert sum(i is not None for i in ids) == 1
    assert len(await job_payloads(db)) == 1


async def test_store_rejected_keeps_the_reason_and_queues_nothing(db):
    inbox = InboxStore(db)
    headers = {"X-Shopify-Topic": "orders/create"}
    inbox_id = await inbox.store_rejected("shopify", "s", "d-2", "orders/create", b"nope", headers, "body is not JSON")
    row = await inbox.get(inbox_id)
    assert (row.status, row.reason, row.headers) == ("rejected", "body is not JSON", headers)
    assert await job_payloads(db) == []
    assert await inbox.store_rejected("shopify", "s", "d-2", "orders/create", b"nope", {}, "again") is None


async def test_mark_and_get(db):
    inbox = InboxStore(db)
    inbox_id = await inbox.store("rackbeat", "rackbeat", "x", "inventory.changed", b"{}", {})
    await inbox.mark(inbox_id, "processed")
    row = await inbox.get(inbox_id)
    assert row.status == "processed" and row.processed_at is not None and row.reason is None
    assert await inbox.get(inbox_id + 1000) is None


async def test_last_webhook_per_connection_ignores_polled_rows(db):
    inbox = InboxStore(db)
    await inbox.store("shopify", "shop-a", "w1", "orders/create", b"{}", {})
    await inbox.store("poll", "shop-b", "p1", "shop.order", b"{}", {})
    last = await inbox.last_webhook_per_connection(["shop-a", "shop-b"])
    stored_at = await db.pool.fetchval("SELECT received_at FROM inbox WHERE delivery_id = 'w1'")
    assert last == {"shop-a": stored_at, "shop-b": None}
