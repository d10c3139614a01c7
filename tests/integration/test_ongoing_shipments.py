"""Ongoing → Rackbeat shipments: partial picks, status configuration, and crashes at every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daemon.errors import RetryableError
from daemon.sandbox.ongoing import OngoingEmulator, OrderStatuses
from daemon.webhooks.dispatch import InboxItem
from tests.integration.test_ongoing_world import LOCATION, ongoing_world, shipped_quantities

D = Decimal


class Killed(Exception):
    """The process died here."""


@pytest.fixture
async def world(db):
    async with ongoing_world(db) as built:
        yield built


async def sent_order(world, lines=(("P0001", 5, LOCATION), ("P0003", 2, LOCATION))) -> dict:
    order = await world.create_order(list(lines))
    await world.push("order", order["number"])
    world.stock_up(*(sku for sku, _, location in lines if location == LOCATION))
    return order


def rows(order: dict) -> dict[str, str]:
    """sku -> Ongoing rowNumber (the Rackbeat line id)."""
    return {line["item"]["number"]: str(line["id"]) for line in order["lines"]}


async def test_partial_pick_then_the_rest(world):
    order = await sent_order(world)
    number, row = str(order["number"]), rows(order)
    world.floor.pick(number, {row["P0001"]: D(3)})
    assert await world.poll("shipments") == 0  # picked, not sent yet: nothing is shipped
    world.floor.ship(number)
    await world.poll("shipments")
    world.floor.pick(number)  # the rest, while the order is already Sent
    await world.poll("shipments")
    assert await world.poll("shipments") == 0

    shipments = await world.shipments(order["number"])
    assert shipped_quantities(shipments) == [[("P0001", D(3))], [("P0001", D(2)), ("P0003", D(2))]]
    assert all(s["is_shipped"] for s in shipments)
    assert world.reported(order["number"]) == {row["P0001"]: D(5), row["P0003"]: D(2)}
    assert (await world.stock_at("P0001"), await world.stock_at("P0003")) == (D(15), D(18))
    assert (await world.rackbeat.get_order(order["number"]))["is_shipped"] is True
    assert world.ongoing_emulator.max_concurrency_seen == 1


async def test_only_the_warehouse_lines_are_shipped(world):
    order = await sent_order(world, (("P0001", 1, LOCATION), ("P0002", 4, 1)))
    world.floor.pick(str(order["number"]))
    world.floor.ship(str(order["number"]))
    await world.poll("shipments")
    assert shipped_quantities(await world.shipments(order["number"])) == [[("P0001", D(1))]]


async def test_lost_create_answer_is_adopted_not_repeated(world):
    order = await sent_order(world)
    world.floor.pick(str(order["number"]))
    world.floor.ship(str(order["number"]))
    world.rackbeat_emulator.faults.commit_drop_rate = 1.0  # Rackbeat creates the shipment, the answer is lost
    with pytest.raises(RetryableError):
        await world.poll("shipments")
    world.rackbeat_emulator.faults.commit_drop_rate = 0.0
    await world.poll("shipments")

    shipments = await world.shipments(order["number"])
    assert shipped_quantities(shipments) == [[("P0001", D(5)), ("P0003", D(2))]] and shipments[0]["is_shipped"]


async def test_killed_after_create_before_marking_shipped(world, monkeypatch):
    order = await sent_order(world)
    world.floor.pick(str(order["number"]))
    world.floor.ship(str(order["number"]))
    original = world.rackbeat.mark_shipment_shipped

    async def killed(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(world.rackbeat, "mark_shipment_shipped", killed)
    with pytest.raises(Killed):
        await world.poll("shipments")
    monkeypatch.setattr(world.rackbeat, "mark_shipment_shipped", original)
    await world.poll("shipments")

    shipments = await world.shipments(order["number"])
    assert len(shipments) == 1 and shipments[0]["is_shipped"]
    assert await world.stock_at("P0001") == D(15)


async def test_failed_report_back_never_ships_twice_and_later_picks_still_arrive(world, monkeypatch):
    order = await sent_order(world)
    number, row = str(order["number"]), rows(order)
    world.floor.pick(number, {row["P0001"]: D(3)})
    world.floor.ship(number)
    original = world.client.report_order_line

    async def unreachable(*args, **kwargs):
        raise RetryableError("Ongoing did not answer")

    monkeypatch.setattr(world.client, "report_order_line", unreachable)
    with pytest.raises(RetryableError):
        await world.poll("shipments")
    with pytest.raises(RetryableError):
        await world.poll("shipments")  # the retry resumes the same delivery; still no second shipment
    assert len(await world.shipments(order["number"])) == 1
    world.floor.pick(number)  # meanwhile the warehouse picks the rest
    monkeypatch.setattr(world.client, "report_order_line", original)
    await world.poll("shipments")

    shipments = await world.shipments(order["number"])
    assert shipped_quantities(shipments) == [[("P0001", D(3))], [("P0001", D(2)), ("P0003", D(2))]]
    assert world.reported(order["number"]) == {row["P0001"]: D(5), row["P0003"]: D(2)}
    states = await world.db.pool.fetch("SELECT state FROM ongoing_deliveries ORDER BY id")
    assert [r["state"] for r in states] == ["reported", "reported"]


async def test_only_configured_statuses_count_as_shipped(db):
    async with ongoing_world(db, shipped_statuses=[500]) as world:  # this warehouse ships on Collected
        order = await sent_order(world)
        world.floor.pick(str(order["number"]))
        world.floor.ship(str(order["number"]))  # 450 Sent
        assert await world.poll("shipments") == 0
        world.floor.set_order_status(str(order["number"]), 500)
        await world.poll("shipments")
        assert len(await world.shipments(order["number"])) == 1


async def test_renumbered_warehouse_statuses(db):
    statuses = [(200, "Open"), (300, "Released"), (320, "Allocated"), (400, "Picked"), (470, "Dispatched"),
                (475, "Return"), (490, "Ready for pickup"), (600, "Delivered"), (1000, "Cancelled")]  # fmt: skip
    ongoing = OngoingEmulator(order_statuses=OrderStatuses(statuses, sent=470, collected=600))
    async with ongoing_world(db, ongoing, shipped_statuses=[470, 490]) as world:
        order = await sent_order(world)
        number = str(order["number"])
        world.floor.pick(number)
        world.floor.set_order_status(number, 475)  # a return status outside the configured ones
        assert await world.poll("shipments") == 0
        world.floor.set_order_status(number, 490)  # between the configured numbers: counts
        await world.poll("shipments")
        assert len(await world.shipments(order["number"])) == 1


async def test_order_webhook_settles_the_order_early(world):
    order = await sent_order(world)
    world.floor.pick(str(order["number"]))
    world.floor.ship(str(order["number"]))
    body = {"goodsOwnerId": 1, "goodsOwnerOrderId": str(order["number"]), "orderStatus": {"number": 450}}
    webhook = world.parts.routes[("ongoing", "order")]
    await webhook.handle(InboxItem(0, "ongoing", "ongoing:wms", "order", body, {}, dt.datetime.now(dt.timezone.utc)))
    assert len(await world.shipments(order["number"])) == 1
    assert await world.poll("shipments") == 0  # the poll finds nothing left
