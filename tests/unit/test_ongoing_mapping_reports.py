"""Reading Ongoing's reported-number protocol, status sets and stock differences (pure)."""

from __future__ import annotations

from decimal import Decimal

from daemon.sync.ongoing.compare import StockDifference, differences
from daemon.sync.ongoing.reports import receipt_document, shipment_document, shipped_statuses

D = Decimal


def order(status: int, *lines: tuple[int, str | None, float, float | None]) -> dict:
    return {
        "orderInfo": {"orderId": 5, "orderNumber": "1042", "orderStatus": {"number": status, "text": "x"}},
        "orderLines": [
            {"id": line_id, "externalId": external, "orderedNumberOfItems": 10, "pickedNumberOfItems": picked,
             "reportedNumberOfItems": reported}
            for line_id, external, picked, reported in lines
        ],
    }  # fmt: skip


def purchase_order(status: int, *lines: tuple[int, float, float, float | None]) -> dict:
    return {
        "purchaseOrderInfo": {"purchaseOrderId": 9, "purchaseOrderNumber": "77",
                              "purchaseOrderStatus": {"number": status}},
        "purchaseOrderLines": [
            {"id": line_id, "externalOrderLineId": str(100 + line_id), "advisedNumberOfItems": advised,
             "receivedNumberOfItems": received, "reportedNumberOfItems": reported}
            for line_id, advised, received, reported in lines
        ],
    }  # fmt: skip


def test_what_is_new_on_a_shipped_order():
    document = shipment_document(order(450, (1, "11", 8, 5), (2, "12", 2, None), (3, None, 1, None)), {450, 500})
    assert (document.ongoing_id, document.rackbeat_number, document.ready) == (5, 1042, True)
    assert [(ln.line_id, ln.rackbeat_line_id, ln.new) for ln in document.to_report] == [
        (1, 11, D(3)), (2, 12, D(2)), (3, None, D(1))]  # fmt: skip


def test_picked_is_not_shipped_until_a_shipped_status():
    assert not shipment_document(order(400, (1, "11", 8, None)), {450, 500}).ready
    assert shipment_document(order(500, (1, "11", 8, None)), {500}).ready


def test_fingerprint_follows_status_and_quantities():
    first = shipment_document(order(450, (1, "11", 3, None)), {450}).fingerprint()
    assert first == shipment_document(order(450, (1, "11", 3, None)), {450}).fingerprint()
    assert first != shipment_document(order(450, (1, "11", 5, None)), {450}).fingerprint()
    assert first != shipment_document(order(500, (1, "11", 3, None)), {450}).fingerprint()


def test_purchase_order_ready_when_completed_or_at_once():
    partly = purchase_order(400, (1, 10, 4, None))
    assert not receipt_document(partly, immediately=False).ready
    assert receipt_document(partly, immediately=True).ready
    assert receipt_document(purchase_order(300, (1, 10, 10, None)), immediately=False).ready  # all received
    assert receipt_document(purchase_order(500, (1, 10, 7, None)), immediately=False).ready  # closed short
    document = receipt_document(purchase_order(500, (1, 10, 7, 4)), immediately=False)
    assert [(ln.rackbeat_line_id, ln.new) for ln in document.to_report] == [(101, D(3))]


def test_shipped_statuses_are_the_configured_ones_the_warehouse_has():
    listed = [{"number": n} for n in (200, 400, 450, 475, 500, 1000)]
    assert shipped_statuses(listed, [450, 500]) == {450, 500}  # not 475 "Return" in between
    assert shipped_statuses(listed, [451, 500]) == {500}


def test_differences_cover_both_sides():
    assert differences({"A": D(5), "B": D(2), "C": D(1)}, {"A": D(5), "B": D(3), "D": D(4)}) == [
        StockDifference("B", D(2), D(3)),
        StockDifference("C", D(1), D(0)),
        StockDifference("D", D(0), D(4)),
    ]
