"""Rackbeat JSON → Ongoing upsert payloads. Pure: no I/O, no clock.

Identity: the Rackbeat number is Ongoing's article/order/purchase order number, and the Rackbeat line
id is both the line's ``rowNumber`` (stable across re-sends, never reused for another article) and its
external line id, by which shipped and received quantities find their way back.
Only lines on the Rackbeat location mapped to the warehouse are sent; a document without any is not.
Prices go out including VAT (Rackbeat's are excluding). ``None`` values are left out, so Ongoing never
sees a null where it expects an object.
"""

from __future__ import annotations

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Collection, Mapping

from daemon.sync.ongoing.countries import country_code

Record = Mapping[str, Any]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# -- shared helpers ------------------------------------------------------------------------------


def dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def incl_vat(price: Decimal, vat_percent: Decimal) -> Decimal:
    return (price * (1 + vat_percent / HUNDRED)).quantize(CENT, rounding=ROUND_HALF_UP)


def payload_hash(payload: Record) -> str:
    """Stable fingerprint of a payload, so an unchanged document is not sent again."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def line_location(line: Record) -> int | None:
    location = line.get("location")
    number = location.get("number") if isinstance(location, dict) else line.get("location_id")
    return int(number) if number is not None else None


def located_lines(document: Record, location: int, not_stocked: Collection[str] = ()) -> list[Record]:
    """The document's lines on ``location`` (the mapped warehouse), without products the warehouse
    does not stock (shipping, fees); the rest stay out of Ongoing."""
    return [
        line
        for line in document.get("lines") or []
        if line_location(line) == location and item_number(line) not in not_stocked
    ]


def item_number(line: Record) -> str:
    item = line.get("item")
    return str(item["number"] if isinstance(item, dict) and item.get("number") else line["item_id"])


def row_number(line: Record) -> str:
    return str(line["id"])


def unit_price_incl_vat(line: Record) -> Decimal:
    net = dec(line.get("line_price")) * (1 - dec(line.get("discount_percentage")) / HUNDRED)
    return incl_vat(net, dec(line.get("vat_percentage")))


def _name(value: Any) -> str | None:
    """Rackbeat gives references and terms as an object with a name, or as plain text."""
    if isinstance(value, dict):
        value = value.get("name")
    return str(value) if value not in (None, "") else None


def _date(*candidates: Any) -> str | None:
    return next((str(value)[:10] for value in candidates if value), None)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, {}, "")}


def _notification(value: Any) -> dict[str, Any] | None:
    return {"toBeNotified": True, "value": str(value)} if value else None


# -- articles ------------------------------------------------------------------------------------


def article_payload(product: Record) -> dict[str, Any]:
    group = product.get("group") or {}
    physical = product.get("physical") or {}
    supplier = product.get("default_supplier_id")
    return _compact(
        {
            "articleNumber": str(product["number"]),
            "articleName": product.get("name"),
            "description": product.get("description"),
            "customerPrice": json_number(incl_vat(dec(product.get("sales_price")), dec(group.get("vat_domestic")))),
            "articleGroup": _compact({"code": _text(group.get("number")), "name": group.get("name")}),
            "barCodeInfo": _compact({"barCode": product.get("barcode")}),
            "height": _measure(physical.get("height")),
            "length": _measure(physical.get("length", physical.get("depth"))),
            "width": _measure(physical.get("width")),
            "weight": _measure(physical.get("weight")),
            "storageProperties": {
                "isBatchArticle": _active(product.get("batch_control")),
                "isSerialNumberArticle": _active(product.get("serial_numbers")),
            },
            "linkToPicture": product.get("picture_url") or product.get("image_url"),
            "supplierInfo": _compact({"supplierNumber": _text(supplier)}),
        }
    )


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _measure(value: Any) -> int | float | None:
    return json_number(dec(value)) if value is not None else None


def _active(flag: Any) -> bool:
    return bool(flag.get("is_active")) if isinstance(flag, dict) else bool(flag)


# -- orders --------------------------------------------------------------------------------------


def order_payload(order: Record, location: int, not_stocked: Collection[str] = ()) -> dict[str, Any] | None:
    """The Ongoing order for a booked Rackbeat order, or None when no stocked line is on ``location``."""
    lines = located_lines(order, location, not_stocked)
    if not lines:
        return None
    delivery = order.get("delivery_address") or {}
    billing = order.get("billing_address") or {}
    customer = order.get("customer") or {}
    currency = order.get("currency")
    return _compact(
        {
            "orderNumber": str(order["number"]),
            "goodsOwnerOrderId": str(order["number"]),
            "deliveryDate": _date(order.get("deliver_at"), order.get("order_date"), order.get("created_at")),
            "deliveryInstruction": _name(order.get("delivery_terms")),
            "referenceNumber": _name(order.get("our_reference")),
            "advanced": _compact({"termsOfPaymentString": _name(order.get("payment_terms"))}),
            "consignee": _compact(
                {
                    "customerNumber": _text(customer.get("number", order.get("customer_id"))),
                    "name": delivery.get("name") or billing.get("name") or customer.get("name"),
                    **_address(delivery),
                    "invoiceAddress": _compact({"name": billing.get("name"), **_address(billing)}),
                }
            ),
            "emailNotification": _notification(delivery.get("email") or billing.get("email")),
            "smsNotification": _notification(delivery.get("phone") or billing.get("phone")),
            "orderLines": [_order_line(line, currency) for line in lines],
        }
    )


def _address(address: Record) -> dict[str, Any]:
    return {
        "address1": address.get("street"),
        "address2": address.get("street2"),
        "postCode": address.get("zipcode"),
        "city": address.get("city"),
        "countryCode": country_code(address.get("country")),
    }


def _order_line(line: Record, currency: str | None) -> dict[str, Any]:
    return {
        "rowNumber": row_number(line),
        "articleNumber": item_number(line),
        "numberOfItems": json_number(dec(line["quantity"])),
        "externalId": str(line["id"]),
        "prices": _compact(
            {"customerLinePrice": json_number(unit_price_incl_vat(line)), "currencyCode": currency}
        ),
    }


# -- purchase orders -----------------------------------------------------------------------------


def purchase_order_payload(
    purchase_order: Record, location: int, not_stocked: Collection[str] = ()
) -> dict[str, Any] | None:
    """The Ongoing purchase order for a booked Rackbeat one, or None when no stocked line is on ``location``."""
    lines = located_lines(purchase_order, location, not_stocked)
    if not lines:
        return None
    supplier = purchase_order.get("supplier") or {}
    address = purchase_order.get("billing_address") or {}
    currency = purchase_order.get("currency")
    reference = purchase_order.get("our_reference") or purchase_order.get("your_reference")
    return _compact(
        {
            "purchaseOrderNumber": str(purchase_order["number"]),
            "purchaseOrderRemark": purchase_order.get("note"),
            "referenceNumber": _name(reference or purchase_order.get("other_reference")),
            "advanced": _compact({"orderDate": _date(purchase_order.get("created_at"))}),
            "supplierInfo": _compact(
                {
                    "supplierNumber": _text(supplier.get("number", purchase_order.get("supplier_id"))),
                    "supplierName": supplier.get("name") or supplier.get("company_name"),
                    "supplierAddress": _compact(
                        {
                            "name": address.get("name"),
                            "address": address.get("street"),
                            "address2": address.get("street2"),
                            "postCode": address.get("zipcode"),
                            "city": address.get("city"),
                            "countryCode": country_code(address.get("country")),
                            "email": address.get("email"),
                            "mobilePhone": address.get("phone"),
                        }
                    ),
                }
            ),
            "purchaseOrderLines": [
                {
                    "rowNumber": row_number(line),
                    "articleNumber": item_number(line),
                    "numberOfItems": json_number(dec(line["quantity"])),
                    "rowPrice": json_number(unit_price_incl_vat(line)),
                    **_compact({"currencyCode": currency}),
                    "externalOrderLineId": str(line["id"]),
                }
                for line in lines
            ],
        }
    )
