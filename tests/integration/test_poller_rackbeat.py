"""The Rackbeat streams against a Rackbeat-shaped HTTP stub, through the real client and HTTP layer."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from daemon.config.model import RackbeatConfig
from daemon.connectors.rackbeat.client import RackbeatClient
from daemon.http.ratelimit import RateLimiter
from daemon.pollers.base import Poller, RunOutcome
from daemon.pollers.rackbeat_streams import rackbeat_streams
from daemon.webhooks.inbox import InboxStore
from tests.integration.rackbeat_stub import RackbeatStub, running_stub

RESOURCES = ("products", "orders", "purchase-orders")


@pytest.fixture
async def stub():
    async with running_stub(RackbeatStub(page_size=2)) as stub:
        yield stub


@pytest.fixture
async def pollers(db, stub):
    config = RackbeatConfig(api_url=stub.base_url, token="test-token", poll_interval_s=60)
    async with aiohttp.ClientSession() as session:
        client = RackbeatClient.create(config, session, RateLimiter.from_config("rackbeat", config.rate))
        inbox = InboxStore(db)
        yield {s.name: Poller(s, db.pool, inbox) for s in rackbeat_streams(client, config)}


async def test_an_unchanged_account_costs_one_request_per_stream(pollers, stub):
    for poller in pollers.values():
        assert await poller.run_once() is RunOutcome.COMPLETED
        assert await poller.run_once() is RunOutcome.SKIPPED  # within the interval: no request at all
    assert {resource: len(stub.requests_for(resource)) for resource in RESOURCES} == dict.fromkeys(RESOURCES, 1)
    window = stub.requests_for("orders")[0]
    assert window["updated_at_from"] < window["updated_at_to"]


async def test_changed_records_of_every_page_reach_the_inbox_with_their_topic(db, pollers, stub):
    stamp = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc).isoformat()
    stub.records["purchase-orders"] = [{"number": f"PO-{n}", "updated_at": stamp} for n in range(5)]
    assert await pollers["purchase_orders"].run_once() is RunOutcome.COMPLETED

    assert [query["page"] for query in stub.requests_for("purchase-orders")] == ["1", "2", "3"]
    rows = await db.pool.fetch("SELECT connection, topic, delivery_id FROM inbox ORDER BY delivery_id")
    assert [r["delivery_id"] for r in rows] == [f"purchase_orders:PO-{n}:{stamp}" for n in range(5)]
    assert {(r["connection"], r["topic"]) for r in rows} == {("rackbeat", "rackbeat.purchase_order")}
