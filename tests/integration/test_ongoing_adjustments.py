"""Ongoing inventory adjustments → booked Rackbeat adjustments, each once; and ``ongoing stock-compare``."""

from __future__ import annotations

import argparse
from decimal import Decimal

import pytest

from daemon.cli import ongoing_cmd
from daemon.errors import RetryableError
from tests.integration.test_ongoing_world import LOCATION, ongoing_world

D = Decimal


@pytest.fixture
async def world(db):
    async with ongoing_world(db, flows={"adjustments": True}) as built:
        for sku in ("P0001", "P0002"):
            await built.push("article", sku)
            built.stock_up(sku, quantity=20)
        yield built


async def rackbeat_adjustments(world) -> list[tuple[str, Decimal, int, bool]]:
    found = (await world.rackbeat_call("GET", "/inventory-adjustments"))["inventory_adjustments"]
    return [(a["item_number"], D(str(a["quantity"])), a["location_number"], a["is_booked"]) for a in found]


def unreported(world) -> int:
    return sum(not adjustment.reported for adjustment in world.ongoing_emulator.store.adjustments)


async def test_each_adjustment_becomes_one_booked_delta_at_the_mapped_location(world):
    world.floor.adjust("P0001", D(-2), {"code": "DMG", "name": "Damaged"})
    world.floor.adjust("P0002", D(3))
    assert await world.poll("adjustments") == 2
    assert await world.poll("adjustments") == 0  # set reported: not listed again

    assert sorted(await rackbeat_adjustments(world)) == [("P0001", D(-2), LOCATION, True), ("P0002", D(3), LOCATION, True)]
    assert (await world.stock_at("P0001"), await world.stock_at("P0002")) == (D(18), D(23))
    assert await world.stock_at("P0001", 1) == D(100)
    assert unreported(world) == 0
    assert world.ongoing_emulator.max_concurrency_seen == 1


async def test_killed_between_create_and_book_then_answer_lost(world, monkeypatch):
    world.floor.adjust("P0001", D(-2))
    original = world.rackbeat.book_adjustment

    async def killed(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(world.rackbeat, "book_adjustment", killed)
    with pytest.raises(RuntimeError):
        await world.poll("adjustments")
    monkeypatch.setattr(world.rackbeat, "book_adjustment", original)
    await world.poll("adjustments")

    world.floor.adjust("P0002", D(4))
    world.rackbeat_emulator.faults.commit_drop_rate = 1.0  # created in Rackbeat, answer lost
    with pytest.raises(RetryableError):
        await world.poll("adjustments")
    world.rackbeat_emulator.faults.commit_drop_rate = 0.0
    await world.poll("adjustments")

    assert sorted(await rackbeat_adjustments(world)) == [("P0001", D(-2), LOCATION, True), ("P0002", D(4), LOCATION, True)]
    assert (await world.stock_at("P0001"), await world.stock_at("P0002")) == (D(18), D(24))


async def test_failed_set_reported_never_applies_twice(world, monkeypatch):
    world.floor.adjust("P0001", D(5))
    original = world.client.set_adjustment_reported

    async def unreachable(*args, **kwargs):
        raise RetryableError("Ongoing did not answer")

    monkeypatch.setattr(world.client, "set_adjustment_reported", unreachable)
    for _ in range(2):
        with pytest.raises(RetryableError):
            await world.poll("adjustments")
    monkeypatch.setattr(world.client, "set_adjustment_reported", original)
    await world.poll("adjustments")

    assert await rackbeat_adjustments(world) == [("P0001", D(5), LOCATION, True)]
    assert await world.stock_at("P0001") == D(25) and unreported(world) == 0


async def test_stock_compare_lists_every_differing_sku(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(ongoing_cmd, "configure_logging", lambda *a, **k: None)  # keep the test run's logging
    world.floor.set_stock("P0002", D(7))  # Rackbeat has 20 at the 3PL location
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[rackbeat]
api_url = "{world.config.rackbeat.api_url}"
token = "{world.rackbeat_emulator.token}"

[[ongoing]]
id = "wms"
api_url = "{world.config.ongoing[0].api_url}"
user = "{world.ongoing_emulator.user}"
password = "{world.ongoing_emulator.password}"
goods_owner_id = 1
location = {LOCATION}
"""
    )
    code = await ongoing_cmd.compare_stock(argparse.Namespace(config=str(config), ongoing=None))

    lines = [line for line in capsys.readouterr().out.splitlines() if not line[:4].isdigit()]  # no log lines
    assert code == 1
    assert lines[0].split() == ["ongoing", "sku", "rackbeat", "ongoing_qty", "delta"]
    rows = [line.split() for line in lines[2:]]
    assert rows == [
        ["wms", "P0002", "20", "7", "-13"],
        *(["wms", sku, "20", "0", "-20"] for sku in ("P0003", "P0004", "P0005", "P0006")),
    ]  # P0001 agrees (20 = 20); shipping and discount hold no stock
