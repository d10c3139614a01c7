"""The dirty set: marks never wait for each other, and a push clears only the marks it read."""

from __future__ import annotations

import asyncio

from daemon.queue.store import JobQueue
from daemon.sync.stock.levels import StockLevels
from daemon.sync.stock.marks import PUSH_KIND, StockMarks


async def test_concurrent_marks_of_one_sku_do_not_wait_for_each_other(db):
    """A burst of orders for the same few SKUs: each intake marks them in its own open transaction."""
    levels = StockLevels()
    async with db.pool.acquire() as first, db.pool.acquire() as second:
        async with first.transaction():
            await levels.mark(first, ["shop-a", "shop-b"], ["HOT", "P1"])
            async with second.transaction():
                await second.execute("SET LOCAL lock_timeout = '1s'")  # a row lock wait would fail here
                await levels.mark(second, ["shop-a", "shop-b"], ["HOT"])
    async with db.pool.acquire() as conn:
        dirty = {d.sku: d for d in await levels.take(conn, "shop-a", 10)}
    assert set(dirty) == {"HOT", "P1"}  # one entry per SKU, however often it was marked
    assert len(dirty["HOT"].marks) == 2 and dirty["HOT"].mark == max(dirty["HOT"].marks)


async def test_a_mark_made_after_the_take_survives_the_clear(db):
    levels = StockLevels()
    async with db.pool.acquire() as conn:
        await levels.mark(conn, ["shop-a"], ["P1", "P2"], force=True)
        taken = await levels.take(conn, "shop-a", 10)
        await levels.mark(conn, ["shop-a"], ["P1"])  # lands while the push is in flight
        await levels.clear(conn, "shop-a", taken)
        left = await levels.take(conn, "shop-a", 10)
        assert [(d.sku, d.force) for d in left] == [("P1", False)]
        assert await levels.pending(conn, "shop-a") and not await levels.pending(conn, "shop-b")
        await levels.clear(conn, "shop-a", left)
        assert not await levels.pending(conn, "shop-a")


async def test_a_push_looking_for_marks_waits_for_marking_transactions_still_open(db):
    """A marking transaction that found the push job still pending queued no other; the push, claimed
    since, must see its marks before it ends."""
    levels = StockLevels()
    async with db.pool.acquire() as marker, db.pool.acquire() as pusher:
        transaction = marker.transaction()
        await transaction.start()
        await levels.mark(marker, ["shop-a"], ["P1"])
        look = asyncio.create_task(levels.pending(pusher, "shop-a"))
        await asyncio.sleep(0.3)
        assert not look.done()  # no answer while the marks may still come
        await transaction.commit()
        assert await asyncio.wait_for(look, 5) is True


async def test_concurrent_marks_share_a_transaction_and_keep_their_own_shops_and_force(db):
    """Sixteen transfers marking at once: a few transactions, each caller back once its marks are in."""
    marks = StockMarks(db, JobQueue(db), StockLevels(), ["shop-a", "shop-b"])
    await asyncio.gather(
        *(marks.mark_now([f"P{n}"]) for n in range(16)),
        marks.mark_now(["W1"], shop_ids=["shop-b"], force=True),
    )
    rows = await db.pool.fetch("SELECT shop_id, sku, force, xmin::text AS tx FROM stock_dirty ORDER BY shop_id, sku")
    assert {(r["shop_id"], r["sku"]) for r in rows if not r["force"]} == {
        (shop, f"P{n}") for shop in ("shop-a", "shop-b") for n in range(16)
    }
    assert [(r["shop_id"], r["sku"]) for r in rows if r["force"]] == [("shop-b", "W1")]
    assert len({r["tx"] for r in rows}) < 17  # not one transaction per caller
    pushes = await db.pool.fetch("SELECT connection FROM jobs WHERE kind = $1 ORDER BY connection", PUSH_KIND)
    assert [p["connection"] for p in pushes] == ["shop-a", "shop-b"]
