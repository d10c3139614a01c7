"""Rackbeat JSON → Ongoing payloads (pure)."""

from __future__ import annotations

from daemon.sync.ongoing.mapping import article_payload, order_payload, payload_hash, purchase_order_payload

WAREHOUSE = 2


def line(line_id: int, sku: str, quantity: float, location: int, **extra) -> dict:
    return {"id": line_id, "item": {"number": sku}, "quantity": quantity, "line_price": 100.0,
            "discount_percentage": 0, "vat_percentage": 25, "location": {"number": location}, **extra}  # fmt: skip


def order(**changes) -> dict:
    base = {
        "number": 1042,
        "customer": {"number": 7, "name": "Acme A/S"},
        "currency": "DKK",
        "deliver_at": "2026-12-01T00:00:00+00:00",
        "delivery_terms": "DAP",
        "payment_terms": {"name": "Net 14"},
        "our_reference": {"name": "Kim"},
        "delivery_address": {"name": "Ann", "street": "Road 1", "street2": "2nd floor", "zipcode": "8000",
                             "city": "Aarhus", "country": "Danmark", "email": "ann@example.com", "phone": "+45 1"},
        "billing_address": {"name": "Acme A/S", "street": "Main St 9", "zipcode": "1000", "city": "Copenhagen",
                            "country": "DK"},
        "lines": [line(11, "A", 2, WAREHOUSE), line(12, "B", 1, 1), line(13, "C", 3, WAREHOUSE, discount_percentage=10)],
    }  # fmt: skip
    return base | changes


def test_article_is_the_full_product():
    product = {
        "number": "A-1", "name": "Shirt", "description": "Blue", "barcode": "5701", "sales_price": 80,
        "group": {"number": 3, "name": "Clothes", "vat_domestic": 25},
        "physical": {"weight": 0.25, "height": 2, "width": 30, "depth": 40},
        "batch_control": {"is_active": True}, "serial_numbers": {"is_active": False},
        "picture_url": "https://img.example.com/a1.jpg", "default_supplier_id": 4,
    }  # fmt: skip
    assert article_payload(product) == {
        "articleNumber": "A-1",
        "articleName": "Shirt",
        "description": "Blue",
        "customerPrice": 100,
        "articleGroup": {"code": "3", "name": "Clothes"},
        "barCodeInfo": {"barCode": "5701"},
        "height": 2,
        "length": 40,
        "width": 30,
        "weight": 0.25,
        "storageProperties": {"isBatchArticle": True, "isSerialNumberArticle": False},
        "linkToPicture": "https://img.example.com/a1.jpg",
        "supplierInfo": {"supplierNumber": "4"},
    }


def test_order_carries_only_the_warehouse_lines_with_stable_rows():
    payload = order_payload(order(), WAREHOUSE)
    assert payload["orderNumber"] == payload["goodsOwnerOrderId"] == "1042"
    assert [(ln["rowNumber"], ln["articleNumber"], ln["numberOfItems"], ln["externalId"]) for ln in payload["orderLines"]] == [
        ("11", "A", 2, "11"), ("13", "C", 3, "13")]  # fmt: skip
    assert payload["orderLines"][0]["prices"] == {"customerLinePrice": 125, "currencyCode": "DKK"}
    assert payload["orderLines"][1]["prices"]["customerLinePrice"] == 112.5  # 100 - 10 %, + 25 % VAT


def test_order_header_consignee_and_notifications():
    payload = order_payload(order(), WAREHOUSE)
    assert (payload["deliveryDate"], payload["deliveryInstruction"], payload["referenceNumber"]) == (
        "2026-12-01", "DAP", "Kim")  # fmt: skip
    assert payload["advanced"] == {"termsOfPaymentString": "Net 14"}
    assert payload["consignee"] == {
        "customerNumber": "7",
        "name": "Ann",
        "address1": "Road 1",
        "address2": "2nd floor",
        "postCode": "8000",
        "city": "Aarhus",
        "countryCode": "DK",
        "invoiceAddress": {"name": "Acme A/S", "address1": "Main St 9", "postCode": "1000", "city": "Copenhagen",
                           "countryCode": "DK"},
    }  # fmt: skip
    assert payload["emailNotification"] == {"toBeNotified": True, "value": "ann@example.com"}
    assert payload["smsNotification"] == {"toBeNotified": True, "value": "+45 1"}


def test_no_notification_without_email_or_phone_and_no_order_without_warehouse_lines():
    quiet = order(delivery_address={"name": "Ann", "country": "Sweden"}, billing_address={})
    payload = order_payload(quiet, WAREHOUSE)
    assert "emailNotification" not in payload and "smsNotification" not in payload
    assert payload["consignee"]["countryCode"] == "SE"
    assert order_payload(order(lines=[line(12, "B", 1, 1)]), WAREHOUSE) is None


def test_purchase_order():
    purchase_order = {
        "number": 77, "note": "Spring", "our_reference": "PO-REF", "created_at": "2026-11-20T08:00:00+00:00",
        "currency": "EUR", "supplier": {"number": 3, "name": "Supplier 3"},
        "billing_address": {"name": "Supplier 3", "street": "Dock 4", "zipcode": "2100", "city": "Oslo",
                            "country": "Norway", "email": "s3@example.com", "phone": "+47 2"},
        "lines": [line(21, "A", 10, WAREHOUSE, line_price=40.0), line(22, "B", 5, 1)],
    }  # fmt: skip
    assert purchase_order_payload(purchase_order, WAREHOUSE) == {
        "purchaseOrderNumber": "77",
        "purchaseOrderRemark": "Spring",
        "referenceNumber": "PO-REF",
        "advanced": {"orderDate": "2026-11-20"},
        "supplierInfo": {
            "supplierNumber": "3",
            "supplierName": "Supplier 3",
            "supplierAddress": {"name": "Supplier 3", "address": "Dock 4", "postCode": "2100", "city": "Oslo",
                                "countryCode": "NO", "email": "s3@example.com", "mobilePhone": "+47 2"},
        },
        "purchaseOrderLines": [
            {"rowNumber": "21", "articleNumber": "A", "numberOfItems": 10, "rowPrice": 50, "currencyCode": "EUR",
             "externalOrderLineId": "21"},
        ],
    }  # fmt: skip
    assert purchase_order_payload(purchase_order | {"lines": [line(22, "B", 5, 1)]}, WAREHOUSE) is None


def test_payload_hash_ignores_key_order():
    assert payload_hash({"a": 1, "b": [1, 2]}) == payload_hash({"b": [1, 2], "a": 1})
    assert payload_hash({"a": 1}) != payload_hash({"a": 2})
