"""Ongoing → Rackbeat purchase receipts: when completed or at once, partial receipts, and crashes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from daemon.errors import RetryableError
from tests.integration.test_ongoing_world import LOCATION, ongoing_world

D = Decimal
MAIN = 1


def received(receipts: list[dict]) -> list[list[tuple[str, Decimal]]]:
    return [[(line["item"]["number"], D(str(line["quantity"]))) for line in r["lines"]] for r in receipts]


async def sent_purchase_order(world, lines=(("P0004", 10, LOCATION), ("P0005", 3, MAIN))) -> tuple[dict, dict]:
    purchase_order = await world.create_purchase_order(list(lines))
    await world.push("purchase_order", purchase_order["number"])
    row = {line["item"]["number"]: str(line["id"]) for line in purchase_order["lines"]}
    return purchase_order, row


def reported(world, number) -> dict[str, Decimal | None]:
    return {row: line.reported for row, line in world.floor.purchase_order(str(number)).lines.items()}


async def test_received_when_completed_by_default(db):
    async with ongoing_world(db) as world:
        purchase_order, row = await sent_purchase_order(world)
        number = purchase_order["number"]
        world.floor.receive(str(number), {row["P0004"]: D(4)})
        assert await world.poll("receipts") == 0  # not complete yet
        world.floor.receive(str(number))
        await world.poll("receipts")
        assert await world.poll("receipts") == 0

        receipts = await world.receipts(number)
        assert received(receipts) == [[("P0004", D(10))]] and receipts[0]["is_received"]
        assert reported(world, number) == {row["P0004"]: D(10)}
        assert await world.stock_at("P0004") == D(30) and await world.stock_at("P0005", MAIN) == D(100)


async def test_partial_receipts_at_once_when_configured(db):
    async with ongoing_world(db, receive_when="immediately") as world:
        purchase_order, row = await sent_purchase_order(world)
        number = purchase_order["number"]
        world.floor.receive(str(number), {row["P0004"]: D(4)})
        await world.poll("receipts")
        world.floor.receive(str(number))
        await world.poll("receipts")

        assert received(await world.receipts(number)) == [[("P0004", D(4))], [("P0004", D(6))]]
        assert reported(world, number) == {row["P0004"]: D(10)}
        assert await world.stock_at("P0004") == D(30)
        assert world.ongoing_emulator.max_concurrency_seen == 1


async def test_failed_report_back_never_receives_twice(db, monkeypatch):
    async with ongoing_world(db, receive_when="immediately") as world:
        purchase_order, row = await sent_purchase_order(world)
        number = purchase_order["number"]
        world.floor.receive(str(number), {row["P0004"]: D(4)})
        original = world.client.report_purchase_order_line

        async def unreachable(*args, **kwargs):
            raise RetryableError("Ongoing did not answer")

        monkeypatch.setattr(world.client, "report_purchase_order_line", unreachable)
        for _ in range(2):
            with pytest.raises(RetryableError):
                await world.poll("receipts")
        monkeypatch.setattr(world.client, "report_purchase_order_line", original)
        await world.poll("receipts")

        assert received(await world.receipts(number)) == [[("P0004", D(4))]]
        assert reported(world, number) == {row["P0004"]: D(4)}
        assert await world.stock_at("P0004") == D(24)


async def test_lost_create_answer_and_killed_before_receiving(db, monkeypatch):
    async with ongoing_world(db, receive_when="immediately") as world:
        purchase_order, row = await sent_purchase_order(world)
        number = purchase_order["number"]
        world.floor.receive(str(number), {row["P0004"]: D(4)})
        world.rackbeat_emulator.faults.commit_drop_rate = 1.0
        with pytest.raises(RetryableError):
            await world.poll("receipts")
        world.rackbeat_emulator.faults.commit_drop_rate = 0.0
        original = world.rackbeat.mark_receipt_received

        async def killed(*args, **kwargs):
            raise RuntimeError("killed")

        monkeypatch.setattr(world.rackbeat, "mark_receipt_received", killed)
        with pytest.raises(RuntimeError):
            await world.poll("receipts")
        monkeypatch.setattr(world.rackbeat, "mark_receipt_received", original)
        await world.poll("receipts")

        receipts = await world.receipts(number)
        assert received(receipts) == [[("P0004", D(4))]] and receipts[0]["is_received"]
        assert await world.stock_at("P0004") == D(24)
