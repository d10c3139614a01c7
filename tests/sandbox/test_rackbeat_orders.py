"""Sales orders: totals contract, validation, booking, partial shipments and stock, invoicing."""

from __future__ import annotations

import pytest

from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.rackbeat.harness import running


@pytest.fixture
async def rb():
    async with running(RackbeatEmulator()) as harness:
        yield harness


async def stock(rb, number: str) -> dict:
    product = (await rb.call("GET", f"/products/{number}")).body["product"]
    per_location = (await rb.call("GET", f"/products/{number}/locations")).body["product_locations"]
    return {
        "total": (product["stock_quantity"], product["in_order_quantity"], product["available_quantity"]),
        **{
            e["location"]["number"]: (e["stock_quantity"], e["in_order_quantity"], e["available_quantity"])
            for e in per_location
        },
    }


async def place(rb, *lines: dict, draft: bool = False, customer: int = 1, **fields) -> dict:
    """Create an order (booked, or a draft) and return it."""
    path = "/orders/drafts" if draft else "/orders"
    answer = await rb.call("POST", path, json={"customer_id": customer, "lines": list(lines), **fields})
    assert answer.status == 201, answer.body
    return answer.body["order"]


def item(number: str, quantity: float, **fields) -> dict:
    return {"item_id": number, "quantity": quantity, **fields}


def ship(*parts: tuple[dict, float]) -> dict:
    """A partial-shipment body: (order line, quantity) pairs."""
    return {"lines": [{"line_id": line["id"], "quantity": quantity} for line, quantity in parts]}


async def test_totals_follow_the_rounding_contract(rb):
    order = await place(
        rb,
        # 3 * 19.9999 * 0.875 = 52.4997375 -> 52.50 ; vat 25% 13.125 -> 13.13 (half up)
        item("P0001", 3, line_price=19.9999, discount_percentage=12.5, vat_percentage=25),
        # 1.5 * 10.005 = 15.0075 -> 15.01 ; vat 12% 1.8012 -> 1.80
        item("P0002", 1.5, line_price="10.0050", vat_percentage=12),
        # 0.125 -> 0.13 (half up, not half even) ; vat 25% 0.0325 -> 0.03
        item("P0003", 1, line_price=0.125, vat_percentage=25),
        # shipping line, vat defaults from the no-inventory group (25% domestic): 39 ; 9.75
        item("shipping", 1, line_price=39),
    )
    assert [line["line_total"] for line in order["lines"]] == [52.50, 15.01, 0.13, 39.00]
    assert order["total_subtotal"] == 106.64
    assert order["total_vat"] == 24.71
    assert order["total_total"] == 131.35
    assert order["lines"][1]["quantity"] == 1.5 and order["lines"][3]["vat_percentage"] == 25


async def test_line_validation_uses_dotted_paths(rb):
    answer = await rb.call(
        "POST",
        "/orders",
        json={
            "customer_id": 999,
            "lines": [
                {"item_id": "P0001", "quantity": 1, "line_price": "1.12345"},
                {"item_id": "NOPE", "quantity": 1},
                {"quantity": 0, "item_id": "P0002"},
                {"item_id": "P0002", "quantity": 1, "location_id": 9},
            ],
        },
    )
    assert answer.status == 422
    assert set(answer.body["errors"]) == {
        "customer_id",
        "lines.0.line_price",
        "lines.1.item_id",
        "lines.2.quantity",
        "lines.3.location_id",
    }
    assert all(isinstance(m, list) and m for m in answer.body["errors"].values())
    assert rb.emulator.state.orders.documents == {}


async def test_post_orders_books_and_drafts_do_not(rb):
    # [inferred] POST /orders books immediately, POST /orders/drafts creates an unbooked order.
    booked = await place(rb, item("P0001", 2))
    draft = await place(rb, item("P0001", 5), draft=True, customer=2)
    assert booked["is_booked"] is True and draft["is_booked"] is False
    assert (booked["number"], draft["number"]) == (1, 2)
    assert booked["customer"]["number"] == 1 and booked["lines"][0]["line_price"] == 10.95  # product price
    assert booked["lines"][0]["location"] == {"number": 1, "name": "Main"}
    assert (await stock(rb, "P0001"))["total"] == (120, 2, 118)

    changed = await rb.call("PUT", f"/orders/{draft['number']}", json={"lines": [item("P0001", 3)], "note": "hi"})
    assert changed.status == 200 and changed.body["order"]["note"] == "hi"
    assert (await rb.call("POST", f"/orders/{draft['number']}/book")).status == 200
    assert (await stock(rb, "P0001"))["total"] == (120, 5, 115)
    again = await rb.call("POST", f"/orders/{draft['number']}/book")
    assert again.status == 422 and "is_booked" in again.body["errors"]
    refused = await rb.call("PUT", f"/orders/{draft['number']}", json={"note": "late"})
    assert refused.status == 422
    assert (await rb.call("DELETE", f"/orders/{draft['number']}")).status == 422  # [inferred] booked: kept
    spare = await place(rb, draft=True)
    assert (await rb.call("DELETE", f"/orders/{spare['number']}")).status == 200
    assert (await rb.call("GET", f"/orders/{spare['number']}")).status == 404


async def test_booking_a_barred_product_is_refused(rb):
    await rb.call("PUT", "/products/P0005", json={"is_barred": True})
    draft = await place(rb, item("P0005", 1), draft=True)
    answer = await rb.call("POST", f"/orders/{draft['number']}/book")
    assert answer.status == 422
    assert answer.body["errors"] == {"lines.0.item_id": ["Product 'P0005' is barred."]}
    direct = await rb.call("POST", "/orders", json={"customer_id": 1, "lines": [item("P0005", 1)]})
    assert direct.status == 422


async def test_available_quantity_through_partial_shipments(rb):
    order = await place(
        rb,
        item("P0001", 10),
        item("P0001", 4, location_id=2),
        item("shipping", 1, line_price=49),
        other_reference="shop-1001",
    )
    number, (main_line, tpl_line, shipping_line) = order["number"], order["lines"]
    assert await stock(rb, "P0001") == {"total": (120, 14, 106), 1: (100, 10, 90), 2: (20, 4, 16)}

    partial = await rb.call("POST", f"/orders/{number}/create-shipment", json=ship((main_line, 6)))
    assert partial.status == 201
    shipment = partial.body["order_shipment"]
    assert shipment["order_number"] == number and shipment["is_shipped"] is False
    parts = [(p["line_id"], p["quantity"], p["location"]["number"]) for p in shipment["lines"]]
    assert parts == [(main_line["id"], 6, 1)]
    assert (await stock(rb, "P0001"))["total"] == (120, 14, 106)  # nothing moves before mark-shipped

    before = (await rb.call("GET", f"/orders/{number}")).body["order"]["updated_at"]
    shipped = await rb.call("POST", f"/orders/shipments/{shipment['id']}/mark-shipped", json={"pick": True})
    assert shipped.status == 200 and shipped.body["order_shipment"]["is_shipped"] is True
    assert await stock(rb, "P0001") == {"total": (114, 8, 106), 1: (94, 4, 90), 2: (20, 4, 16)}
    order = (await rb.call("GET", f"/orders/{number}")).body["order"]
    assert (order["is_partly_shipped"], order["is_shipped"]) == (True, False)
    assert order["lines"][0]["shipped_quantity"] == 6 and order["updated_at"] > before
    again = await rb.call("POST", f"/orders/shipments/{shipment['id']}/mark-shipped", json={"pick": True})
    assert again.status == 422

    rest = (await rb.call("POST", f"/orders/{number}/create-shipment")).body["order_shipment"]
    parts = {p["line_id"]: p["quantity"] for p in rest["lines"]}
    assert parts == {main_line["id"]: 4, tpl_line["id"]: 4, shipping_line["id"]: 1}
    over = await rb.call("POST", f"/orders/{number}/create-shipment", json=ship((main_line, 1)))
    assert over.status == 422 and "lines.0.quantity" in over.body["errors"]
    await rb.call("POST", f"/orders/shipments/{rest['id']}/mark-shipped", json={"pick": True})
    assert await stock(rb, "P0001") == {"total": (106, 0, 106), 1: (90, 0, 90), 2: (16, 0, 16)}
    order = (await rb.call("GET", f"/orders/{number}")).body["order"]
    assert (order["is_partly_shipped"], order["is_shipped"]) == (False, True)
    done = await rb.call("POST", f"/orders/{number}/create-shipment")
    assert done.status == 422

    listed = await rb.call("GET", f"/orders/{number}/shipments")
    assert listed.status == 206
    assert [s["id"] for s in listed.body["order_shipments"]] == [shipment["id"], rest["id"]]
    by_order = await rb.call("GET", "/order-shipments", params={"order_number": str(number)})
    assert by_order.body["total"] == 2
    query = {"simple_filter[other_reference]": "shop-1001", "is_shipped": "true"}
    found = await rb.call("GET", "/orders", params=query)
    assert [o["number"] for o in found.body["orders"]] == [number]


async def test_unbooked_orders_cannot_ship(rb):
    draft = await place(rb, item("P0001", 1), draft=True)
    answer = await rb.call("POST", f"/orders/{draft['number']}/create-shipment")
    assert answer.status == 422 and "is_booked" in answer.body["errors"]


async def test_cancel_releases_reservations_but_not_after_shipping(rb):
    # [inferred] POST /orders/{n}/cancel; refused (422) once a shipment exists.
    first = await place(rb, item("P0002", 3))
    second = await place(rb, item("P0002", 2))
    cancelled = await rb.call("POST", f"/orders/{first['number']}/cancel")
    assert cancelled.status == 200 and cancelled.body["order"]["is_cancelled"] is True
    assert (await stock(rb, "P0002"))["total"] == (120, 2, 118)
    await rb.call("POST", f"/_sandbox/orders/{second['number']}/ship")
    refused = await rb.call("POST", f"/orders/{second['number']}/cancel")
    assert refused.status == 422
    assert (await stock(rb, "P0002"))["total"] == (118, 0, 118)


async def test_convert_to_invoice(rb):
    order = await place(rb, item("P0003", 2), customer=2)
    answer = await rb.call("POST", f"/orders/{order['number']}/convert-to-invoice")
    assert answer.status == 200
    invoice = (await rb.call("GET", f"/customer-invoices/{answer.body['invoice_id']}")).body["customer_invoice"]
    assert invoice["order_number"] == order["number"] and invoice["total_total"] == order["total_total"]
    assert (await rb.call("GET", f"/orders/{order['number']}")).body["order"]["is_invoiced"] is True
    assert (await rb.call("POST", f"/orders/{order['number']}/convert-to-invoice")).status == 422
