"""The demo's 3PL warehouse staff against a running sandbox world: orders and purchase orders arrive
through Ongoing's API as the daemon sends them, the seeded staff work them, and Ongoing's API shows
the picks, shipments, receipts and adjustments the daemon would carry back to Rackbeat.
Also the Rackbeat side of the story: the back office buys for the 3PL and leaves its orders alone."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from daemon.sandbox.traffic import TrafficGenerator
from daemon.sandbox.warehouse_sim import WarehouseSimulator
from daemon.sandbox.world import ONGOING_LOCATION
from tests.sandbox import world_clients as clients
from tests.sandbox.world_clients import session, world  # noqa: F401 - pytest fixtures

OWNER = {"goodsOwnerId": 1}
SENT, RECEIVED = 450, 500


@pytest.fixture
def wms(world, session):
    return clients.ongoing(world, session)


@pytest.fixture
def staff(world) -> WarehouseSimulator:
    return WarehouseSimulator(world, seed=3)


async def put_order(wms, number: str, lines: list[tuple[str, int]]) -> int:
    body = {
        **OWNER,
        "orderNumber": number,
        "deliveryDate": "2026-11-30",
        "consignee": {"name": "Mette Hansen", "address1": "Street 1", "postCode": "1050", "city": "København K",
                      "countryCode": "DK"},
        "orderLines": [{"rowNumber": str(row), "articleNumber": sku, "numberOfItems": qty}
                       for row, (sku, qty) in enumerate(lines, 1)],
    }  # fmt: skip
    answer = await wms.call("PUT", "/orders", json=body)
    assert answer.status == 200, answer.body
    return answer.body["orderId"]


async def put_purchase_order(wms, number: str, lines: list[tuple[str, int]]) -> None:
    body = {
        **OWNER,
        "purchaseOrderNumber": number,
        "supplierInfo": {"supplierNumber": "1", "supplierName": "Supplier 1"},
        "purchaseOrderLines": [{"rowNumber": str(row), "articleNumber": sku, "numberOfItems": qty}
                               for row, (sku, qty) in enumerate(lines, 1)],
    }  # fmt: skip
    answer = await wms.call("PUT", "/purchaseOrders", json=body)
    assert answer.status == 200, answer.body


async def orders(wms, **params) -> dict[str, dict]:
    answer = await wms.call("GET", "/orders", params={**OWNER, **params})
    return {o["orderInfo"]["orderNumber"]: o for o in answer.body}


async def purchase_orders(wms, **params) -> dict[str, dict]:
    answer = await wms.call("GET", "/purchaseOrders", params={**OWNER, **params})
    return {p["purchaseOrderInfo"]["purchaseOrderNumber"]: p for p in answer.body}


def work(staff: WarehouseSimulator, steps: int) -> list[dict]:
    with capture_logs() as logs:
        for _ in range(steps):
            staff.step()
    return logs


def of(logs: list[dict], event: str) -> list[dict]:
    return [entry for entry in logs if entry["event"] == event]


async def test_orders_are_picked_some_partly_and_shipped_rest_later(world, wms, staff):
    skus = world.skus
    for n in range(6):
        await put_order(wms, f"10{n}", [(skus[n], 3), (skus[n + 1], 2)])
    cancelled = await put_order(wms, "199", [(skus[0], 1)])
    assert (await wms.call("DELETE", f"/orders/{cancelled}")).status == 200

    logs = work(staff, 60)

    picked = of(logs, "demo.warehouse.picked")
    assert {entry["partly"] for entry in picked} == {True, False}, "seed 3 picks both ways"
    assert "199" not in {entry["order"] for entry in picked}
    found = await orders(wms)
    assert found["199"]["orderInfo"]["pickedNumberOfItems"] == 0
    del found["199"]
    for order in found.values():
        assert order["orderInfo"]["orderStatus"]["number"] == SENT
        assert all(line["pickedNumberOfItems"] == line["orderedNumberOfItems"] for line in order["orderLines"])
    partly = {entry["order"] for entry in picked if entry["partly"]}
    assert partly and all(len(found[number]["tracking"]) >= 2 for number in partly), "the rest ships later"
    shipped = of(logs, "demo.warehouse.shipped")
    assert len(shipped) == sum(len(order["tracking"]) for order in found.values())
    assert {"order", "items", "waybill", "rest_to_follow"} <= set(shipped[0])

    to_report = await orders(wms, onlyOrdersWithOrderLinesToReport="true")
    assert set(to_report) == set(found)
    for order in to_report.values():
        assert all(line["pickedNumberOfItems"] > (line["reportedNumberOfItems"] or 0) for line in order["orderLines"])
    consumed = to_report["100"]["orderInfo"]["orderId"]
    assert (await wms.call("PATCH", f"/orders/{consumed}/setReportedNumberOfItemsToPickedNumberOfItems")).status == 200
    assert "100" not in await orders(wms, onlyOrdersWithOrderLinesToReport="true")


async def test_a_short_shelf_ships_what_is_there_and_the_rest_after_the_goods_arrive(world, wms, staff):
    sku = world.skus[0]
    world.ongoing.warehouse.set_stock(sku, 2)
    await put_order(wms, "200", [(sku, 5)])

    first = work(staff, 10)
    assert [(e["lines"], e["partly"]) for e in of(first, "demo.warehouse.picked")] == [(f"2 x {sku}", True)]
    order = (await orders(wms))["200"]
    assert (order["orderInfo"]["pickedNumberOfItems"], len(order["tracking"])) == (2, 1)

    await put_purchase_order(wms, "PO-1", [(sku, 10)])
    work(staff, 20)
    assert (await purchase_orders(wms))["PO-1"]["purchaseOrderInfo"]["purchaseOrderStatus"]["number"] == RECEIVED
    order = (await orders(wms))["200"]
    assert (order["orderInfo"]["pickedNumberOfItems"], len(order["tracking"])) == (5, 2)


async def test_purchase_orders_are_received_some_short_first(world, wms, staff):
    for n in range(8):
        await put_purchase_order(wms, f"PO-{n}", [(world.skus[n], 10), (world.skus[n + 4], 4)])

    logs = work(staff, 60)

    received = of(logs, "demo.warehouse.received")
    short = [entry["purchase_order"] for entry in received if entry["partly"]]
    assert short and len(short) < 8, "seed 3 receives both ways"
    deliveries = [entry["purchase_order"] for entry in received]
    assert all(deliveries.count(number) == 2 for number in short), "the rest follows in one delivery"
    found = await purchase_orders(wms)
    for purchase_order in found.values():
        assert purchase_order["purchaseOrderInfo"]["purchaseOrderStatus"]["number"] == RECEIVED
        lines = purchase_order["purchaseOrderLines"]
        assert all(line["receivedNumberOfItems"] == line["advisedNumberOfItems"] for line in lines)
    assert set(await purchase_orders(wms, onlyPurchaseOrdersWithOrderLinesToReport="true")) == set(found)


async def test_now_and_then_an_item_is_found_or_damaged(wms, staff):
    logs = work(staff, 150)

    adjusted = of(logs, "demo.warehouse.adjusted")
    assert [entry["event"] for entry in logs] == ["demo.warehouse.adjusted"] * len(adjusted) and adjusted
    listing = (await wms.call("GET", "/inventoryAdjustments", params={**OWNER, "isReported": "false"})).body
    booked = sorted(
        (group["article"]["articleNumber"], line["numberOfItems"], line["inventoryAdjustmentCause"]["name"])
        for group in listing
        for line in group["inventoryAdjustments"]
    )
    assert booked == sorted((e["article"], int(e["delta"]), e["cause"]) for e in adjusted)


async def test_the_back_office_buys_for_the_3pl_and_leaves_its_orders_to_it(world, session):
    traffic = TrafficGenerator(world, session, seed=7)
    rb = clients.rackbeat(world, session)
    with capture_logs() as logs:
        assert await traffic.buy_goods()
    [entry] = logs
    purchase_order = (await rb.call("GET", f"/purchase-orders/{entry['rackbeat_purchase_order']}")).body
    purchase_order = purchase_order["purchase_order"]
    assert purchase_order["is_booked"] and purchase_order["supplier"]["number"] in (1, 2)
    assert {line["location_id"] for line in purchase_order["lines"]} == {ONGOING_LOCATION}

    line = {"item_id": world.skus[0], "quantity": 1}
    outlet = await rb.call("POST", "/orders", json={"customer_id": 1, "lines": [{**line, "location_id": 2}]})
    assert outlet.status == 201
    assert (await rb.call("POST", "/orders", json={"customer_id": 1, "lines": [line]})).status == 201
    while await traffic.ship_order():
        pass
    outlet_order = (await rb.call("GET", f"/orders/{outlet.body['order']['number']}")).body["order"]
    assert not outlet_order["is_shipped"] and not outlet_order["is_partly_shipped"]
