"""Webhook subscriptions and deliveries to a real aiohttp receiver."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from aiohttp import web

from daemon.sandbox.common import Clock, serve
from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.rackbeat.harness import running


class Receiver:
    """Records every delivery; answers 500 to the first ``failures`` of them."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[tuple[dict, dict]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((dict(request.headers), await request.json()))
        if len(self.calls) <= self.failures:
            return web.Response(status=500)
        return web.Response(status=200)

    def events(self) -> list[tuple[str, object]]:
        return [(body["event"], body["key"]) for _, body in self.calls]


@pytest.fixture
async def rb():
    async with running(RackbeatEmulator(clock=Clock(scale=1e-6))) as harness:
        yield harness


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver):
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    async with serve(app) as base:
        yield f"{base}/hook"


async def subscribe(rb, url: str, *events: str) -> list[dict]:
    return [(await rb.call("POST", "/webhooks", json={"event": e, "url": url})).body["webhook"] for e in events]


async def test_subscriptions_upsert_and_show_token_only_on_create(rb):
    created = await rb.call("POST", "/webhooks", json={"event": "product.updated", "url": "http://127.0.0.1:9/x"})
    assert created.status == 201 and len(created.body["webhook"]["token"]) == 32
    again = await rb.call("POST", "/webhooks", json={"event": "product.updated", "url": "http://127.0.0.1:9/x"})
    assert again.status == 200 and "token" not in again.body["webhook"]
    assert again.body["webhook"]["id"] == created.body["webhook"]["id"]
    listed = await rb.call("GET", "/webhooks", params={"event": "product.updated"})
    assert listed.status == 206 and listed.body["total"] == 1 and "token" not in listed.body["webhooks"][0]
    assert (await rb.call("DELETE", f"/webhooks/{created.body['webhook']['id']}")).status == 200
    assert (await rb.call("GET", "/webhooks")).body["total"] == 0
    invalid = await rb.call("POST", "/webhooks", json={"event": "x"})
    assert invalid.status == 422 and "url" in invalid.body["errors"]


async def test_delivery_carries_token_headers_and_envelope(rb):
    receiver = Receiver()
    async with receiving(receiver) as url:
        (hook,) = await subscribe(rb, url, "product.updated")
        await rb.call("PUT", "/products/P0001", json={"name": "Renamed"})
        await rb.emulator.drain_webhooks()
    ((headers, body),) = receiver.calls
    assert headers["Rackbeat-Webhook-Token"] == hook["token"]
    assert headers["Rackbeat-Webhook-Event"] == "product.updated"
    assert headers["Rackbeat-Account-Id"] == str(rb.emulator.state.account_id)
    assert headers["User-Agent"] == "Rackbeat Webhook"
    assert (body["key"], body["key_name"], body["event"]) == ("P0001", "number", "product.updated")
    assert "name" in body["data"]["changed"]


async def test_order_flow_event_names(rb):
    # [inferred] event catalogue beyond order.created / inventory.changed is not documented publicly.
    receiver = Receiver()
    events = ("order.created", "order.booked", "order_shipment.created", "order.shipped", "inventory.changed")
    async with receiving(receiver) as url:
        await subscribe(rb, url, *events)
        body = {"customer_id": 1, "lines": [{"item_id": "P0001", "quantity": 2}]}
        order = (await rb.call("POST", "/orders", json=body)).body["order"]
        await rb.emulator.drain_webhooks()
        booked = sorted(receiver.events())
        receiver.calls.clear()
        partial = {"lines": [{"line_id": order["lines"][0]["id"], "quantity": 1}]}
        created = await rb.call("POST", f"/orders/{order['number']}/create-shipment", json=partial)
        shipment = created.body["order_shipment"]
        await rb.call("POST", f"/orders/shipments/{shipment['id']}/mark-shipped", json={"pick": True})
        await rb.emulator.drain_webhooks()
    # booking reserves stock, so available changes and inventory.changed fires too [inferred]
    number = order["number"]
    assert booked == [("inventory.changed", "P0001"), ("order.booked", number), ("order.created", number)]
    shipped = {body["event"]: body for _, body in receiver.calls}
    assert set(shipped) == {"order_shipment.created", "order.shipped", "inventory.changed"}
    assert shipped["order_shipment.created"]["key"] == shipment["id"]
    assert shipped["order.shipped"]["data"]["order_shipment_id"] == shipment["id"]
    assert shipped["order.shipped"]["data"]["is_partly_shipped"] is True


async def test_suppress_webhooks_by_query_or_body(rb):
    receiver = Receiver()
    async with receiving(receiver) as url:
        await subscribe(rb, url, "product.updated", "inventory.changed")
        await rb.call("PUT", "/products/P0001?suppress_webhooks=true", json={"name": "A"})
        await rb.call("PUT", "/products/P0001", json={"name": "B", "suppress_webhooks": True})
        await rb.call("POST", "/_sandbox/stock", json={"product": "P0001", "delta": 1, "suppress_webhooks": True})
        await rb.call("PUT", "/products/P0002", json={"name": "C"})
        await rb.emulator.drain_webhooks()
    assert receiver.events() == [("product.updated", "P0002")]


async def test_failed_deliveries_are_retried_and_counted(rb):
    flaky, dead = Receiver(failures=2), Receiver(failures=100)
    async with receiving(flaky) as flaky_url, receiving(dead) as dead_url:
        (flaky_hook,) = await subscribe(rb, flaky_url, "customer.created")
        (dead_hook,) = await subscribe(rb, dead_url, "customer.created")
        await rb.call("POST", "/customers", json={"company_name": "New"})
        await rb.emulator.drain_webhooks()
    assert len(flaky.calls) == 3 and len({str(body) for _, body in flaky.calls}) == 1
    assert len(dead.calls) == 9  # first attempt + 8 scheduled retries
    hooks = {h["id"]: h for h in (await rb.call("GET", "/webhooks")).body["webhooks"]}
    assert hooks[flaky_hook["id"]]["failures_since_last_success"] == 0
    assert hooks[dead_hook["id"]]["failures_since_last_success"] == 9


async def test_shutdown_cancels_pending_retries():
    emulator = RackbeatEmulator(clock=Clock(scale=1.0))  # first retry would wait 10 s
    dead = Receiver(failures=100)
    async with receiving(dead) as url:
        async with running(emulator) as rb:
            await subscribe(rb, url, "customer.created")
            await rb.call("POST", "/customers", json={"company_name": "New"})
            while not dead.calls:  # the first attempt runs right away, in its own task
                await asyncio.sleep(0.01)
        await asyncio.wait_for(emulator.drain_webhooks(), timeout=1)  # nothing left after app cleanup
    assert len(dead.calls) == 1
