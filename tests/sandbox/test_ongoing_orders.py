"""Ongoing emulator: order upserts with lines by rowNumber, refusal once started, cursor pagination,
status lists, and partial picks consumed through the reported-number protocol."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from daemon.sandbox.ongoing import OngoingEmulator, OrderStatuses
from daemon.sandbox.ongoing.harness import running

OWNER = {"goodsOwnerId": 1}


@pytest.fixture
async def wms():
    async with running(OngoingEmulator()) as harness:
        for number in ("A1", "A2", "A3"):
            await harness.call("PUT", "/articles", json={**OWNER, "articleNumber": number, "articleName": number})
        yield harness


def order(number: str, lines: list[tuple[str, str, float]], **extra) -> dict:
    return {
        **OWNER,
        "orderNumber": number,
        "deliveryDate": "2026-11-30",
        "consignee": {"customerNumber": "C1", "name": "Jane Doe", "address1": "Street 1", "postCode": "8000",
                      "city": "Aarhus", "countryCode": "DK",
                      "advanced": {"emailNotification": {"toBeNotified": True, "value": "jane@example.com"}}},
        "orderLines": [{"rowNumber": row, "articleNumber": art, "numberOfItems": qty} for row, art, qty in lines],
        **extra,
    }  # fmt: skip


async def put(wms, body: dict) -> int:
    answer = await wms.call("PUT", "/orders", json=body)
    assert answer.status == 200, answer.body
    return answer.body["orderId"]


async def get(wms, order_id: int) -> dict:
    return (await wms.call("GET", f"/orders/{order_id}")).body


async def inventory(wms, number: str) -> dict:
    found = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "articleNumbers": number})
    return found.body[0]["inventoryInfo"]


async def test_order_upsert_keeps_line_ids_by_row_number(wms):
    body = order("O1", [("1", "A1", 2), ("2", "A2", 1)], goodsOwnerOrderId="rb-77", referenceNumber="R1",
                 advanced={"termsOfPaymentString": "Net 14"})  # fmt: skip
    body["orderLines"][0].update(externalId="line-1", prices={"linePrice": "20.50", "currencyCode": "DKK"})
    order_id = await put(wms, body)
    first = await get(wms, order_id)
    info = first["orderInfo"]
    assert (info["orderNumber"], info["goodsOwnerOrderId"], info["orderStatus"]) == (
        "O1", "rb-77", {"number": 200, "text": "Open"}
    )  # fmt: skip
    assert info["advanced"]["termsOfPaymentString"] == "Net 14" and info["shippedTime"] is None
    assert first["consignee"]["advanced"]["emailNotification"]["value"] == "jane@example.com"
    line_one = first["orderLines"][0]
    assert (line_one["rowNumber"], line_one["externalId"], line_one["prices"]["linePrice"]) == ("1", "line-1", 20.5)
    assert line_one["article"]["articleNumber"] == "A1" and line_one["reportedNumberOfItems"] is None

    # [inferred] the lines array is the whole order: row 1 changes in place, row 2 goes, row 3 is new.
    again = await put(wms, order("O1", [("1", "A1", 5), ("3", "A3", 1)]))
    assert again == order_id
    second = await get(wms, order_id)
    assert [(ln["rowNumber"], ln["orderedNumberOfItems"]) for ln in second["orderLines"]] == [("1", 5), ("3", 1)]
    assert second["orderLines"][0]["id"] == line_one["id"]
    assert second["consignee"]["id"] == first["consignee"]["id"]  # customer upserted by customerNumber
    assert (await inventory(wms, "A1"))["numberOfBookedItems"] == 5
    assert (await inventory(wms, "A2"))["numberOfBookedItems"] == 0


async def test_unknown_article_and_bad_fields_are_400_with_model_state(wms):
    answer = await wms.call("PUT", "/orders", json=order("O1", [("1", "A1", 1), ("2", "NOPE", "x")]))
    assert answer.status == 400
    assert set(answer.body["modelState"]) == {"orderLines[1].articleNumber", "orderLines[1].numberOfItems"}
    no_consignee = {**order("O2", []), "consignee": None, "deliveryDate": "soon"}
    answer = await wms.call("PUT", "/orders", json=no_consignee)
    assert answer.status == 400 and set(answer.body["modelState"]) == {"consignee", "deliveryDate"}
    assert wms.emulator.store.orders == {}


async def test_started_order_refuses_update_and_cancel(wms):
    open_id = await put(wms, order("O1", [("1", "A1", 1)]))
    started_id = await put(wms, order("O2", [("1", "A1", 1)]))
    await wms.call("POST", "/_sandbox/orders/O2/status", json={"status": 300})

    refused = await wms.call("PUT", "/orders", json=order("O2", [("1", "A1", 3)]))
    assert refused.status == 400 and "cannot be updated" in refused.body["message"]
    refused = await wms.call("DELETE", f"/orders/{started_id}")
    assert refused.status == 400 and "cannot be cancelled" in refused.body["message"]
    assert (await get(wms, started_id))["orderLines"][0]["orderedNumberOfItems"] == 1

    cancelled = await wms.call("DELETE", f"/orders/{open_id}")
    assert cancelled.status == 200 and cancelled.body["orderId"] == open_id
    assert (await get(wms, open_id))["orderInfo"]["orderStatus"] == {"number": 1000, "text": "Cancelled"}
    assert (await wms.call("DELETE", f"/orders/{open_id}")).status == 400  # [inferred] twice is refused
    assert (await wms.call("PUT", "/orders", json=order("O1", [("1", "A1", 1)]))).status == 400
    assert (await inventory(wms, "A1"))["numberOfBookedItems"] == 1  # only O2 still books
    assert (await wms.call("DELETE", "/orders/1")).status == 404


async def test_order_id_cursor_pagination(wms):
    ids = [await put(wms, order(f"O{i}", [("1", "A1", 1)])) for i in range(5)]
    pages, cursor = [], 0
    while True:
        query = {"goodsOwnerId": 1, "orderIdFrom": cursor, "maxOrdersToGet": 2}
        page = [o["orderInfo"]["orderId"] for o in (await wms.call("GET", "/orders", params=query)).body]
        pages.append(page)
        if len(page) < 2:
            break
        cursor = page[-1] + 1
    assert pages == [ids[0:2], ids[2:4], ids[4:]]
    by_number = await wms.call("GET", "/orders", params={"goodsOwnerId": 1, "orderNumber": "O3"})
    assert [o["orderInfo"]["orderId"] for o in by_number.body] == [ids[3]]


async def test_status_list_is_per_warehouse():
    renumbered = OrderStatuses(
        [(100, "Ny"), (210, "Frisläppt"), (425, "Sent/partially delivered"), (610, "Skickad"), (700, "Hämtad"),
         (999, "Makulerad")],
        open=100, released=210, allocated=210, picked=425, sent=610, collected=700, cancelled=999,
    )  # fmt: skip
    async with running(OngoingEmulator(order_statuses=renumbered)) as wms:
        listed = await wms.call("GET", "/orders/statuses")
        assert listed.body["orderStatuses"][3] == {"number": 610, "text": "Skickad"}
        assert len(listed.body["orderStatuses"]) == 6
        await wms.call("PUT", "/articles", json={**OWNER, "articleNumber": "A1"})
        await wms.call("PUT", "/_sandbox/articles/A1/stock", json={"numberOfItems": 1})
        order_id = await put(wms, order("O1", [("1", "A1", 1)]))
        assert (await get(wms, order_id))["orderInfo"]["orderStatus"]["text"] == "Ny"
        await wms.call("POST", "/_sandbox/orders/O1/pick")
        shipped = await wms.call("POST", "/_sandbox/orders/O1/ship")
        assert shipped.body["orderInfo"]["orderStatus"] == {"number": 610, "text": "Skickad"}
        bad = await wms.call("PATCH", f"/orders/{order_id}/orderStatus", json={"orderStatusNumber": 450})
        assert bad.status == 400 and "orderStatusNumber" in bad.body["modelState"]
        good = await wms.call("PATCH", f"/orders/{order_id}/orderStatus", json={"orderStatusNumber": 425})
        assert good.status == 200 and (await get(wms, order_id))["orderInfo"]["orderStatus"]["number"] == 425
    with pytest.raises(ValueError):  # a plain renumbered list cannot use the standard roles
        OngoingEmulator(order_statuses=[(100, "Ny"), (610, "Skickad")])


async def test_partial_pick_is_reported_in_two_deliveries(wms):
    await wms.call("PUT", "/_sandbox/articles/A1/stock", json={"numberOfItems": 12})
    order_id = await put(wms, order("O1", [("1", "A1", 10)]))
    assert (await inventory(wms, "A1"))["sellableNumberOfItems"] == 2
    to_report = {"goodsOwnerId": 1, "onlyOrdersWithOrderLinesToReport": "true"}

    async def listed() -> list[dict]:
        return (await wms.call("GET", "/orders", params=to_report)).body

    assert await listed() == []
    eight = {"lines": [{"rowNumber": "1", "numberOfItems": 8}]}
    picked = await wms.call("POST", "/_sandbox/orders/O1/pick", json=eight)
    assert picked.status == 200 and picked.body["orderInfo"]["orderStatus"]["number"] == 300
    shipped = (await wms.call("POST", "/_sandbox/orders/O1/ship", json={"waybill": "WB1"})).body
    assert shipped["orderInfo"]["orderStatus"]["number"] == 450 and shipped["orderInfo"]["shippedTime"]
    assert shipped["tracking"][0]["waybill"] == "WB1" and shipped["orderInfo"]["wayBill"] == "WB1"
    stock = await inventory(wms, "A1")
    assert (stock["numberOfItems"], stock["numberOfBookedItems"], stock["sellableNumberOfItems"]) == (4, 2, 2)
    assert stock["pickedToBeCollectedNumberOfItems"] == 8

    [first] = await listed()
    line = first["orderLines"][0]
    assert (line["pickedNumberOfItems"], line["reportedNumberOfItems"]) == (8, None)
    assert line["pickedArticleItems"][0]["numberOfItems"] == 8
    reported = await wms.call("PATCH", f"/orders/{order_id}/setReportedNumberOfItemsToPickedNumberOfItems")
    assert reported.status == 200 and reported.body["orderId"] == order_id
    assert await listed() == []

    await wms.call("POST", "/_sandbox/orders/O1/pick")  # the remaining 2
    await wms.call("POST", "/_sandbox/orders/O1/ship")
    [second] = await listed()
    line = second["orderLines"][0]
    assert line["pickedNumberOfItems"] - line["reportedNumberOfItems"] == 2
    assert len(line["pickedArticleItems"]) == 2 and len(second["tracking"]) == 2
    patch = await wms.call(
        "PATCH", f"/orders/{order_id}/lines/{line['id']}/reportedNumberOfItems", json={"reportedNumberOfItems": 10}
    )
    assert patch.status == 200 and await listed() == []
    assert (await wms.call("PATCH", f"/orders/{order_id}/lines/1/reportedNumberOfItems",
                           json={"reportedNumberOfItems": 1})).status == 404  # fmt: skip
    over = await wms.call("POST", "/_sandbox/orders/O1/pick", json={"lines": [{"rowNumber": "1", "numberOfItems": 1}]})
    assert over.status == 400


async def test_status_and_shipping_time_filters(wms):
    await wms.call("PUT", "/_sandbox/articles/A1/stock", json={"numberOfItems": 5})
    for number in ("O1", "O2"):
        await put(wms, order(number, [("1", "A1", 1)]))
    mark = (await get(wms, 700002))["orderInfo"]["createdDate"]
    await wms.call("POST", "/_sandbox/orders/O1/pick")
    await wms.call("POST", "/_sandbox/orders/O1/ship")

    def numbers(answer) -> list[str]:
        assert answer.status == 200, answer.body
        return [o["orderInfo"]["orderNumber"] for o in answer.body]

    changed = {"goodsOwnerId": 1, "orderStatusChangedTimeFrom": mark, "orderStatusFrom": 450, "orderStatusTo": 500}
    assert numbers(await wms.call("GET", "/orders", params=changed)) == ["O1"]
    assert numbers(await wms.call("GET", "/orders", params={"goodsOwnerId": 1, "shippedTimeFrom": mark})) == ["O1"]
    assert numbers(await wms.call("GET", "/orders", params={"goodsOwnerId": 1, "orderStatusTo": 200})) == ["O2"]


async def test_order_updated_time_from_may_be_at_most_two_days_old(wms):
    now = datetime.now(timezone.utc)

    def since(days: int) -> dict:
        return {"goodsOwnerId": 1, "orderUpdatedTimeFrom": (now - timedelta(days=days)).isoformat()}

    assert (await wms.call("GET", "/orders", params=since(1))).status == 200
    old = await wms.call("GET", "/orders", params=since(3))
    assert old.status == 400 and "orderUpdatedTimeFrom" in old.body["modelState"]


async def test_offsetless_query_times_are_server_local(wms):
    # [inferred] ASP.NET reads an offset-less time in the server's zone (Sweden), not UTC.
    await put(wms, order("O1", [("1", "A1", 1)]))
    created = datetime.fromisoformat((await get(wms, 700001))["orderInfo"]["createdDate"].replace("Z", "+00:00"))
    later = created + timedelta(minutes=30)
    as_utc = {"goodsOwnerId": 1, "orderCreatedTimeFrom": later.isoformat()}
    assert (await wms.call("GET", "/orders", params=as_utc)).body == []
    naive = {"goodsOwnerId": 1, "orderCreatedTimeFrom": later.strftime("%Y-%m-%dT%H:%M:%S")}
    assert len((await wms.call("GET", "/orders", params=naive)).body) == 1  # read as 1-2 hours earlier
