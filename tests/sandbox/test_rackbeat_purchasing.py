"""Purchase orders with partial receipts, and inventory adjustments (draft vs booked)."""

from __future__ import annotations

import pytest

from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.rackbeat.harness import running


@pytest.fixture
async def rb():
    async with running(RackbeatEmulator()) as harness:
        yield harness


async def product(rb, number: str) -> dict:
    return (await rb.call("GET", f"/products/{number}")).body["product"]


async def receive(rb, po: dict, body: dict | None = None) -> dict:
    """Create a receipt (all that is left, or the lines in ``body``) and mark it received."""
    created = await rb.call("POST", f"/purchase-orders/{po['number']}/create-receipt", json=body)
    assert created.status == 201, created.body
    receipt = created.body["purchase_order_receipt"]
    received = await rb.call("POST", f"/purchase-orders/{po['number']}/receipts/{receipt['id']}/mark-received")
    assert received.status == 200 and received.body["purchase_order_receipt"]["is_received"] is True
    return receipt


async def test_purchase_order_received_partly_then_fully(rb):
    line = {"item_id": "P0004", "quantity": 10, "line_price": 20, "location_id": 2}
    created = await rb.call("POST", "/purchase-orders", json={"supplier_id": 1, "lines": [line]})
    assert created.status == 201
    po = created.body["purchase_order"]
    assert po["is_booked"] is True and po["supplier"]["number"] == 1 and po["total_subtotal"] == 200
    assert (await product(rb, "P0004"))["purchased_quantity"] == 10

    first = await receive(rb, po, {"lines": [{"line_id": po["lines"][0]["id"], "quantity": 4}]})
    assert first["lines"][0]["quantity"] == 4
    po = (await rb.call("GET", f"/purchase-orders/{po['number']}")).body["purchase_order"]
    assert (po["is_partly_received"], po["is_received"], po["lines"][0]["received_quantity"]) == (True, False, 4)
    per_location = (await rb.call("GET", "/products/P0004/locations")).body["product_locations"]
    assert [e["stock_quantity"] for e in per_location] == [100, 24]

    rest = await receive(rb, po)
    assert rest["lines"][0]["quantity"] == 6
    po = (await rb.call("GET", f"/purchase-orders/{po['number']}")).body["purchase_order"]
    assert (po["is_partly_received"], po["is_received"]) == (False, True)
    stocked = await product(rb, "P0004")
    assert (stocked["stock_quantity"], stocked["purchased_quantity"]) == (130, 0)
    assert (await rb.call("POST", f"/purchase-orders/{po['number']}/create-receipt")).status == 422
    receipts = await rb.call("GET", f"/purchase-orders/{po['number']}/receipts")
    assert receipts.status == 206 and receipts.body["total"] == 2


async def test_purchase_order_drafts_and_validation(rb):
    # [inferred] like sales: POST books, /drafts does not; 2018-style product_id is accepted too.
    body = {"supplier_id": 2, "lines": [{"product_id": "P0001", "quantity": 1}]}
    draft = await rb.call("POST", "/purchase-orders/drafts", json=body)
    assert draft.status == 201 and draft.body["purchase_order"]["is_booked"] is False
    number = draft.body["purchase_order"]["number"]
    assert (await rb.call("POST", f"/purchase-orders/{number}/create-receipt")).status == 422
    bad = await rb.call("POST", "/purchase-orders", json={"supplier_id": 9, "lines": [{"item_id": "P0001"}]})
    assert bad.status == 422 and set(bad.body["errors"]) == {"supplier_id", "lines.0.quantity"}


async def test_adjustment_moves_stock_only_when_booked(rb):
    body = {"item_number": "P0006", "location_number": 2, "quantity": -5}
    body |= {"reason": "Waste", "description": "sync:abc"}
    created = await rb.call("POST", "/inventory-adjustments", json=body)
    assert created.status == 201
    adjustment = created.body["inventory_adjustment"]
    assert adjustment["is_booked"] is False
    assert (await product(rb, "P0006"))["stock_quantity"] == 120

    booked = await rb.call("POST", f"/inventory-adjustments/{adjustment['id']}/book")
    assert booked.status == 200 and booked.body["inventory_adjustment"]["is_booked"] is True
    assert (await product(rb, "P0006"))["stock_quantity"] == 115
    assert (await rb.call("POST", f"/inventory-adjustments/{adjustment['id']}/book")).status == 422

    found = await rb.call("GET", "/inventory-adjustments", params={"simple_filter[description]": "sync:abc"})
    assert found.status == 206 and [a["id"] for a in found.body["inventory_adjustments"]] == [adjustment["id"]]
    invalid = {"item_number": "NOPE", "location_number": 7, "quantity": 0}
    bad = await rb.call("POST", "/inventory-adjustments", json=invalid)
    assert bad.status == 422 and set(bad.body["errors"]) == {"item_number", "location_number", "quantity"}
