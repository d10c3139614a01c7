"""The Ongoing flows wired to the Rackbeat and Ongoing emulators over real HTTP and a real PostgreSQL.

``OngoingWorld`` is shared by the ``test_ongoing_*`` files: handlers are run by hand so each step, and
each crash between steps, can be observed. The test here runs the same path through the poller and the
inbox, as the daemon does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any, AsyncIterator

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.connectors.ongoing.connection import create_client
from daemon.connectors.rackbeat import RackbeatClient
from daemon.http.ratelimit import RateLimiter
from daemon.pollers.base import Poller
from daemon.queue.store import JobQueue
from daemon.sandbox.common import serve
from daemon.sandbox.ongoing import OngoingEmulator
from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sync.ongoing.documents import ORDER, PURCHASE_ORDER
from daemon.sync.ongoing.parts import build_ongoing_parts
from daemon.sync.ongoing.warehouses import Warehouses
from daemon.sync.parts import FlowContext
from daemon.webhooks.dispatch import InboxDispatcher, InboxItem
from daemon.webhooks.inbox import INBOX_JOB, InboxStore

D = Decimal
LOCATION = 2  # the seed's "3PL" location is the warehouse


class OngoingWorld:
    def __init__(self, db, rackbeat: RackbeatEmulator, rackbeat_url: str, ongoing: OngoingEmulator, ongoing_url: str,
                 session: aiohttp.ClientSession, **ongoing_options: Any) -> None:  # fmt: skip
        self.db = db
        self.rackbeat_emulator = rackbeat
        self.ongoing_emulator = ongoing
        self.floor = ongoing.warehouse
        self.config = Config.model_validate(
            {
                "rackbeat": {"api_url": rackbeat_url, "token": rackbeat.token},
                "ongoing": [
                    {
                        "id": "wms",
                        "api_url": ongoing_url,
                        "user": ongoing.user,
                        "password": ongoing.password,
                        "goods_owner_id": 1,
                        "location": LOCATION,
                        **ongoing_options,
                    }
                ],
            }
        )
        self.rackbeat = RackbeatClient.create(
            self.config.rackbeat, session, RateLimiter("rackbeat", per_second=1000, burst=1000, concurrency=8)
        )
        ongoing_config = self.config.ongoing[0]
        limiter = RateLimiter("ongoing:wms", per_second=1000, burst=1000, concurrency=1)
        self.client = create_client(ongoing_config, session, limiter)
        self.queue = JobQueue(db)
        self.parts = build_ongoing_parts(
            FlowContext(self.config, db, self.queue, self.rackbeat, shop_clients={}, ongoing_clients={"wms": self.client})
        )
        self.sender = self.parts.handlers["ongoing.order"]
        self.warehouse = Warehouses.build(self.config.ongoing, {"wms": self.client}).by_id("wms")

    # -- driving the flows -------------------------------------------------------------------------

    async def push(self, kind: str, number: int | str) -> None:
        if kind == "article":
            await self.sender.send_article(self.warehouse, str(number))
        else:
            await self.sender.send_document(self.warehouse, ORDER if kind == "order" else PURCHASE_ORDER, str(number))

    async def poll(self, stream_name: str) -> int:
        """Read one stream and hand each item to its route, as the poller and inbox would; items seen."""
        stream = next(s for s in self.parts.streams if s.name == stream_name)
        until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
        items = [item async for item in stream.fetch(until - dt.timedelta(hours=1), until)]
        for item in items:
            handler = self.parts.routes[("poll", item.topic)]
            await handler.handle(InboxItem(0, "poll", stream.connection, item.topic, item.body, {}, until))
        return len(items)

    async def run_through_daemon_path(self, stream_name: str) -> None:
        """Poller → inbox → inbox job → route, with the jobs run by hand."""
        inbox = InboxStore(self.db)
        stream = next(s for s in self.parts.streams if s.name == stream_name)
        await Poller(stream, self.db.pool, inbox).run_once(force=True)
        dispatcher = InboxDispatcher(inbox, self.parts.routes)
        for job in reversed(await self.queue.list(state="pending", kind=INBOX_JOB)):
            await dispatcher.handle(job)
            await self.db.pool.execute("UPDATE jobs SET state = 'done' WHERE id = $1", job.id)

    # -- Rackbeat ----------------------------------------------------------------------------------

    async def rackbeat_call(self, method: str, path: str, body: Any = None) -> Any:
        response = await self.rackbeat.api.request(method, path, json=body)
        return response.body

    async def create_order(self, lines: list[tuple[str, int, int]], **header: Any) -> dict:
        """Booked order with ``(sku, quantity, location)`` lines."""
        body = {
            "customer_id": 1,
            "lines": [{"item_id": sku, "quantity": qty, "line_price": 100, "location_id": loc} for sku, qty, loc in lines],
            **header,
        }
        return (await self.rackbeat_call("POST", "/orders", body))["order"]

    async def create_purchase_order(self, lines: list[tuple[str, int, int]], **header: Any) -> dict:
        body = {
            "supplier_id": 1,
            "lines": [{"item_id": sku, "quantity": qty, "line_price": 40, "location_id": loc} for sku, qty, loc in lines],
            **header,
        }
        return (await self.rackbeat_call("POST", "/purchase-orders", body))["purchase_order"]

    async def shipments(self, number: int) -> list[dict]:
        return await self.rackbeat.order_shipments(number)

    async def receipts(self, number: int) -> list[dict]:
        body = await self.rackbeat_call("GET", f"/purchase-orders/{number}/receipts")
        return body["purchase_order_receipts"]

    async def stock_at(self, sku: str, location: int = LOCATION) -> Decimal:
        entries = await self.rackbeat.product_locations(sku)
        return next(D(str(e["stock_quantity"])) for e in entries if e["location_id"] == location)

    # -- Ongoing -----------------------------------------------------------------------------------

    def ongoing_order(self, number: int):
        return self.floor.order(str(number))

    def reported(self, number: int) -> dict[str, Decimal | None]:
        return {row: line.reported for row, line in self.ongoing_order(number).lines.items()}

    def stock_up(self, *skus: str, quantity: int = 50) -> None:
        for sku in skus:
            self.floor.set_stock(sku, D(quantity))


@contextlib.asynccontextmanager
async def ongoing_world(db, ongoing: OngoingEmulator | None = None, **options: Any) -> AsyncIterator[OngoingWorld]:
    rackbeat = RackbeatEmulator(seed=RackbeatSeed(products=6, customers=1, suppliers=1))
    ongoing = ongoing or OngoingEmulator()
    async with serve(rackbeat.app) as rb_url, serve(ongoing.app) as og_url, aiohttp.ClientSession() as session:
        yield OngoingWorld(db, rackbeat, f"{rb_url}/api", ongoing, og_url + ongoing.prefix, session, **options)


def shipped_quantities(shipments: list[dict]) -> list[list[tuple[str, Decimal]]]:
    return [[(line["item"]["number"], D(str(line["quantity"]))) for line in s["lines"]] for s in shipments]


@pytest.fixture
async def world(db):
    async with ongoing_world(db) as built:
        yield built


async def test_order_out_and_shipment_back_through_poller_and_inbox(world):
    order = await world.create_order([("P0001", 2, LOCATION)])
    await world.push("order", order["number"])
    world.stock_up("P0001")
    world.floor.pick(str(order["number"]))
    world.floor.ship(str(order["number"]))

    await world.run_through_daemon_path("shipments")
    await world.run_through_daemon_path("shipments")  # nothing left: no second shipment

    shipments = await world.shipments(order["number"])
    assert shipped_quantities(shipments) == [[("P0001", D(2))]] and shipments[0]["is_shipped"]
    assert world.reported(order["number"]) == {str(order["lines"][0]["id"]): D(2)}
    assert world.ongoing_emulator.max_concurrency_seen == 1
