"""Rackbeat → Ongoing: articles, orders and purchase orders, only for lines on the mapped location."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from daemon.errors import TerminalError
from daemon.webhooks.dispatch import InboxItem
from tests.integration.test_ongoing_world import LOCATION, ongoing_world

D = Decimal
MAIN = 1  # the Rackbeat location that is not the warehouse


@pytest.fixture
async def world(db):
    async with ongoing_world(db) as built:
        yield built


async def outbound_rows(world) -> dict[tuple[str, str], str]:
    rows = await world.db.pool.fetch("SELECT kind, number, state FROM ongoing_outbound")
    return {(r["kind"], r["number"]): r["state"] for r in rows}


async def test_article_carries_the_full_product(world):
    await world.push("article", "P0002")
    article = world.floor.article("P0002").fields
    assert article["articleName"] == "Product 2"
    assert article["customerPrice"] == D("26.19")  # 20.95 + 25 % VAT
    assert article["barCodeInfo"] == {"barCode": "5700000000002"}
    assert article["articleGroup"] == {"code": "1", "name": "Goods"}
    assert (article["weight"], article["height"], article["width"], article["length"]) == (D("0.5"), 10, 10, 10)
    assert article["storageProperties"] == {"isBatchArticle": False, "isSerialNumberArticle": False}


async def test_order_goes_with_its_warehouse_lines_only_and_articles_first(world):
    order = await world.create_order(
        [("P0001", 2, LOCATION), ("P0002", 5, MAIN), ("P0003", 1, LOCATION)],
        delivery_terms="DAP",
        payment_terms="Net 8",
        delivery_address={"name": "Ann Buyer", "street": "Road 1", "zipcode": "8000", "city": "Aarhus",
                          "country": "Denmark", "email": "ann@example.com", "phone": "+4512345678"},
    )  # fmt: skip
    await world.push("order", order["number"])

    sent = await world.client.find_order(str(order["number"]))
    lines = {line["article"]["articleNumber"]: line for line in sent["orderLines"]}
    assert sorted(lines) == ["P0001", "P0003"]  # P0002 is picked from the main location, not here
    first = next(line for line in order["lines"] if line["item"]["number"] == "P0001")
    assert lines["P0001"]["rowNumber"] == lines["P0001"]["externalId"] == str(first["id"])
    assert lines["P0001"]["orderedNumberOfItems"] == 2
    assert lines["P0001"]["prices"]["customerLinePrice"] == 125  # 100 + 25 % VAT
    info = sent["orderInfo"]
    assert (info["orderNumber"], info["deliveryInstruction"]) == (str(order["number"]), "DAP")
    assert info["advanced"]["termsOfPaymentString"] == "Net 8"
    assert info["emailNotification"] == {"toBeNotified": True, "value": "ann@example.com"}
    assert info["smsNotification"] == {"toBeNotified": True, "value": "+4512345678"}
    consignee = sent["consignee"]
    assert (consignee["name"], consignee["address1"], consignee["postCode"], consignee["countryCode"]) == (
        "Ann Buyer", "Road 1", "8000", "DK")  # fmt: skip
    assert {("article", "P0001"), ("article", "P0003")} <= set(await outbound_rows(world))


async def test_order_without_warehouse_lines_is_not_sent(world):
    order = await world.create_order([("P0001", 2, MAIN)])
    await world.push("order", order["number"])
    assert await world.client.find_order(str(order["number"])) is None
    assert await outbound_rows(world) == {}


async def test_unchanged_order_is_not_sent_again_and_a_started_one_is_never_overwritten(world, monkeypatch):
    order = await world.create_order([("P0001", 2, LOCATION)])
    await world.push("order", order["number"])
    calls = []
    original = world.client.upsert_order
    monkeypatch.setattr(world.client, "upsert_order", lambda payload: calls.append(payload) or original(payload))
    await world.push("order", order["number"])
    assert calls == []  # same payload as Ongoing has

    world.floor.set_order_status(str(order["number"]), 300)  # the warehouse has released it
    line_id = order["lines"][0]["id"]
    world.rackbeat_emulator.state.orders.find(order["number"]).lines[0].quantity = D(7)  # changed in Rackbeat
    await world.push("order", order["number"])
    assert calls == []
    assert world.ongoing_order(order["number"]).lines[str(line_id)].ordered == 2
    assert (await outbound_rows(world))[("order", str(order["number"]))] == "started"


async def test_purchase_order_lines_on_the_warehouse_location_only(world):
    purchase_order = await world.create_purchase_order(
        [("P0004", 10, LOCATION), ("P0005", 3, MAIN)], note="Spring delivery"
    )
    await world.push("purchase_order", purchase_order["number"])

    sent = world.floor.purchase_order(str(purchase_order["number"]))
    assert [line.article.number for line in sent.lines.values()] == ["P0004"]
    line = next(iter(sent.lines.values()))
    assert (line.advised, line.fields["externalOrderLineId"]) == (10, str(purchase_order["lines"][0]["id"]))
    assert line.fields["rowPrice"] == 50  # 40 + 25 % VAT
    assert sent.fields["purchaseOrderRemark"] == "Spring delivery"
    assert sent.supplier["supplierNumber"] == "1" and sent.supplier["supplierName"] == "Supplier 1"


async def test_received_purchase_order_is_not_sent(world):
    purchase_order = await world.create_purchase_order([("P0004", 2, LOCATION)])
    number = purchase_order["number"]
    receipt = (await world.rackbeat_call("POST", f"/purchase-orders/{number}/create-receipt"))["purchase_order_receipt"]
    await world.rackbeat.mark_receipt_received(number, receipt["id"])
    await world.push("purchase_order", number)
    assert world.ongoing_emulator.store.purchase_order_by_number(str(number)) is None


async def test_refused_upsert_is_recorded_as_terminal(world, monkeypatch):
    order = await world.create_order([("P0001", 1, LOCATION)])
    line = world.rackbeat_emulator.state.orders.find(order["number"]).lines[0]
    line.product = dataclasses.replace(line.product, number="GONE")  # no such product: Ongoing has no article
    with pytest.raises(TerminalError):
        await world.push("order", order["number"])
    row = await world.db.pool.fetchrow("SELECT state, error_class, attempts FROM ongoing_outbound WHERE kind = 'order'")
    assert (row["state"], row["error_class"], row["attempts"]) == ("failed", "terminal", 1)


async def test_polled_rackbeat_documents_queue_one_job_per_wanted_document(world):
    here = await world.create_order([("P0001", 1, LOCATION)])
    elsewhere = await world.create_order([("P0001", 1, MAIN)])
    purchase_order = await world.create_purchase_order([("P0004", 3, LOCATION)])
    polled = [("rackbeat.order", here), ("rackbeat.order", here), ("rackbeat.order", elsewhere),
              ("rackbeat.purchase_order", purchase_order), ("rackbeat.product", {"number": "P0006"})]  # fmt: skip
    for topic, record in polled:
        await world.parts.routes[("poll", topic)].handle(
            InboxItem(0, "poll", "rackbeat", topic, record, {}, dt.datetime.now(dt.timezone.utc))
        )

    jobs = list(reversed(await world.queue.list(state="pending")))
    assert [(job.kind, job.payload["number"], job.connection) for job in jobs] == [
        ("ongoing.order", str(here["number"]), "ongoing:wms"),
        ("ongoing.purchase_order", str(purchase_order["number"]), "ongoing:wms"),
        ("ongoing.article", "P0006", "ongoing:wms"),
    ]
    for job in jobs:
        await world.parts.handlers[job.kind].handle(job)
    assert world.floor.order(str(here["number"])) and world.floor.purchase_order(str(purchase_order["number"]))
    assert world.floor.article("P0006").fields["articleName"] == "Product 6"


async def test_lines_of_products_without_inventory_stay_out(world):
    order = await world.create_order([("P0001", 1, LOCATION), ("shipping", 1, LOCATION)])
    await world.push("order", order["number"])
    sent = world.floor.order(str(order["number"]))
    assert [line.article.number for line in sent.lines.values()] == ["P0001"]
    assert world.ongoing_emulator.store.article_by_number("shipping") is None
    assert (await outbound_rows(world))[("article", "shipping")] == "not_stocked"


async def test_order_already_shipped_in_rackbeat_is_not_sent(world):
    order = await world.create_order([("P0001", 1, LOCATION)])
    shipment = await world.rackbeat.create_shipment(order["number"])
    await world.rackbeat.mark_shipment_shipped(shipment["id"])
    await world.push("order", order["number"])
    assert world.ongoing_emulator.store.order_by_number(str(order["number"])) is None
