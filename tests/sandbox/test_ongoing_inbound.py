"""Ongoing emulator: purchase orders received in parts and reported back, and inventory adjustments
listed and acknowledged with setReported."""

from __future__ import annotations

import pytest

from daemon.sandbox.ongoing import OngoingEmulator
from daemon.sandbox.ongoing.harness import running

OWNER = {"goodsOwnerId": 1}


@pytest.fixture
async def wms():
    async with running(OngoingEmulator()) as harness:
        for number in ("A1", "A2"):
            await harness.call("PUT", "/articles", json={**OWNER, "articleNumber": number, "articleName": number})
        yield harness


def purchase_order(number: str, lines: list[tuple[str, str, int]]) -> dict:
    return {
        **OWNER,
        "purchaseOrderNumber": number,
        "supplierInfo": {"supplierNumber": "S1", "supplierName": "Supplier", "supplierAddress": {"city": "Oslo"}},
        "goodsOwnerReference": "rb-po-9",
        "inDate": "2026-12-01",
        "advanced": {"orderDate": "2026-11-20"},
        "purchaseOrderLines": [
            {"rowNumber": row, "articleNumber": article, "numberOfItems": qty, "rowPrice": "12.5",
             "currencyCode": "DKK", "externalOrderLineId": f"ext-{row}"}
            for row, article, qty in lines
        ],
    }  # fmt: skip


async def stock(wms, number: str) -> dict:
    found = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "articleNumber": number})
    return found.body[0]["inventoryInfo"]


async def test_purchase_order_partial_receipt_is_reported(wms):
    created = await wms.call("PUT", "/purchaseOrders", json=purchase_order("PO1", [("1", "A1", 10), ("2", "A2", 4)]))
    assert created.status == 200 and set(created.body) == {"purchaseOrderId", "message"}
    po_id = created.body["purchaseOrderId"]
    got = (await wms.call("GET", f"/purchaseOrders/{po_id}")).body
    assert got["purchaseOrderInfo"]["purchaseOrderStatus"] == {"number": 100, "text": "Notified"}
    assert got["supplierInfo"]["supplierNumber"] == "S1"
    assert got["purchaseOrderInfo"]["goodsOwnerReference"] == "rb-po-9"
    line = got["purchaseOrderLines"][0]
    assert (line["advisedNumberOfItems"], line["receivedNumberOfItems"], line["reportedNumberOfItems"]) == (10, 0, None)
    assert (line["externalOrderLineId"], line["rowPrice"]) == ("ext-1", 12.5)
    assert (await stock(wms, "A1"))["toReceiveNumberOfItems"] == 10

    to_report = {"goodsOwnerId": 1, "onlyPurchaseOrdersWithOrderLinesToReport": "true"}
    assert (await wms.call("GET", "/purchaseOrders", params=to_report)).body == []
    received = await wms.call(
        "POST", "/_sandbox/purchaseOrders/PO1/receive", json={"lines": [{"rowNumber": "1", "numberOfItems": 7}]}
    )
    assert received.body["purchaseOrderInfo"]["purchaseOrderStatus"]["number"] == 400  # deviation
    info = await stock(wms, "A1")
    assert (info["numberOfItems"], info["toReceiveNumberOfItems"]) == (7, 3)

    refused = await wms.call("PUT", "/purchaseOrders", json=purchase_order("PO1", [("1", "A1", 20)]))
    assert refused.status == 400 and "cannot be updated" in refused.body["message"]
    assert (await wms.call("DELETE", f"/purchaseOrders/{po_id}")).status == 400

    [listed] = (await wms.call("GET", "/purchaseOrders", params=to_report)).body
    assert listed["purchaseOrderLines"][0]["receivedNumberOfItems"] == 7
    line_id = listed["purchaseOrderLines"][0]["id"]
    patch = await wms.call(
        "PATCH", f"/purchaseOrders/{po_id}/lines/{line_id}/reportedNumberOfItems", json={"reportedNumberOfItems": 7}
    )
    assert patch.status == 200 and patch.body["purchaseOrderId"] == po_id
    assert (await wms.call("GET", "/purchaseOrders", params=to_report)).body == []

    await wms.call("POST", "/_sandbox/purchaseOrders/PO1/receive")  # the rest: 3 of row 1, 4 of row 2
    [listed] = (await wms.call("GET", "/purchaseOrders", params=to_report)).body
    assert listed["purchaseOrderInfo"]["purchaseOrderStatus"] == {"number": 500, "text": "Received"}
    assert [(ln["receivedNumberOfItems"], ln["reportedNumberOfItems"]) for ln in listed["purchaseOrderLines"]] == [
        (10, 7),
        (4, None),
    ]
    mark = listed["purchaseOrderInfo"]["lastReceiveTime"]
    by_time = await wms.call("GET", "/purchaseOrders", params={"goodsOwnerId": 1, "lastReceiveTimeFrom": mark})
    assert len(by_time.body) == 1
    all_done = await wms.call("PATCH", f"/purchaseOrders/{po_id}/setReportedNumberOfItemsToReceivedNumberOfItems")
    assert all_done.status == 200
    assert (await wms.call("GET", "/purchaseOrders", params=to_report)).body == []
    assert (await stock(wms, "A1"))["toReceiveNumberOfItems"] == 0
    statuses = (await wms.call("GET", "/purchaseOrders/statuses")).body["purchaseOrderStatuses"]
    assert {"number": 400, "text": "Deflection"} in statuses


async def test_purchase_order_lines_need_known_articles(wms):
    answer = await wms.call("PUT", "/purchaseOrders", json=purchase_order("PO1", [("1", "NOPE", 1)]))
    assert answer.status == 400 and "purchaseOrderLines[0].articleNumber" in answer.body["modelState"]
    created = await wms.call("PUT", "/purchaseOrders", json=purchase_order("PO2", [("1", "A1", 1)]))
    cancelled = await wms.call("DELETE", f"/purchaseOrders/{created.body['purchaseOrderId']}")
    assert cancelled.status == 200 and (await stock(wms, "A1"))["toReceiveNumberOfItems"] == 0


async def test_inventory_adjustments_are_listed_until_reported(wms):
    await wms.call("PUT", "/_sandbox/articles/A1/stock", json={"numberOfItems": 10})
    made = await wms.call(
        "POST",
        "/_sandbox/inventoryAdjustments",
        json={"articleNumber": "A1", "numberOfItems": -2, "cause": {"code": "DMG", "name": "Damaged"}},
    )
    assert made.status == 200
    await wms.call("POST", "/_sandbox/inventoryAdjustments", json={"articleNumber": "A2", "numberOfItems": "3"})
    await wms.call("POST", "/_sandbox/inventoryAdjustments", json={"articleNumber": "A1", "numberOfItems": 1})
    info = await stock(wms, "A1")
    assert (info["numberOfItems"], info["sellableNumberOfItems"]) == (9, 9)
    below_zero = await wms.call(
        "POST", "/_sandbox/inventoryAdjustments", json={"articleNumber": "A2", "numberOfItems": -4}
    )
    assert below_zero.status == 400

    listing = (await wms.call("GET", "/inventoryAdjustments", params={"goodsOwnerId": 1})).body
    assert [group["article"]["articleNumber"] for group in listing] == ["A1", "A2"]
    first = listing[0]["inventoryAdjustments"][0]
    assert (first["numberOfItems"], first["inventoryAdjustmentCause"]["code"]) == (-2, "DMG")
    assert [a["numberOfItems"] for a in listing[0]["inventoryAdjustments"]] == [-2, 1]
    article_id = listing[0]["article"]["articleSystemId"]

    acknowledged = await wms.call(
        "PATCH", f"/inventoryAdjustments/{first['inventoryId']}/articles/{article_id}/setReported"
    )
    assert acknowledged.status == 200 and len(acknowledged.body["items"]) == 1

    # [inferred] isReported=false: only unreported; isReported=true: only reported; absent: all.
    unreported = await wms.call("GET", "/inventoryAdjustments", params={"goodsOwnerId": 1, "isReported": "false"})
    assert [a["numberOfItems"] for g in unreported.body for a in g["inventoryAdjustments"]] == [1, 3]
    reported = await wms.call("GET", "/inventoryAdjustments", params={"goodsOwnerId": 1, "isReported": "true"})
    assert [a["inventoryId"] for g in reported.body for a in g["inventoryAdjustments"]] == [first["inventoryId"]]

    window = {"goodsOwnerId": 1, "from": first["inventoryTime"], "toTime": first["inventoryTime"]}
    assert len((await wms.call("GET", "/inventoryAdjustments", params=window)).body) == 1
    missing = await wms.call("PATCH", f"/inventoryAdjustments/{first['inventoryId']}/articles/1/setReported")
    assert missing.status == 404
