"""Shopify REST / webhook order JSON -> canonical Order.

Webhook bodies are the bare order object; ``GET /orders/{id}.json`` wraps it in ``{"order": ...}``.
Both are accepted. Money values are strings in the shop currency (``shop_money``), which is what
the shop's totals are kept in.
"""

from __future__ import annotations

from typing import Any, Mapping

from daemon.sync.model import SHOPIFY, Order, OrderLine, ShippingLine
from daemon.sync.orders.amounts import ZERO, Taxes, to_decimal
from daemon.sync.orders.fields import address_from, aware_datetime, customer_from, first_text, joined_name
from daemon.sync.orders.shopify_common import (
    number_from_name,
    shopify_line,
    shopify_shipping,
    status_fields,
)

ADDRESS_KEYS = {
    "name": ("name",),
    "first": ("first_name",),
    "last": ("last_name",),
    "company": ("company",),
    "street": ("address1",),
    "street2": ("address2",),
    "city": ("city",),
    "zipcode": ("zip",),
    "state": ("province",),
    "country": ("country",),
    "country_code": ("country_code",),
    "phone": ("phone",),
}


def order_from_shopify_rest(data: Mapping[str, Any], shop_id: str) -> Order:
    """Map one Shopify REST/webhook order."""
    order = data["order"] if isinstance(data.get("order"), Mapping) else data
    taxes_included = bool(order.get("taxes_included"))
    name = order.get("name") or f"#{order.get('order_number') or order['id']}"
    billing = address_from(order.get("billing_address"), ADDRESS_KEYS)
    customer = order.get("customer") or {}
    return Order(
        shop_id=shop_id,
        shop_type=SHOPIFY,
        shop_order_id=str(order["id"]),
        name=name,
        number=str(order.get("order_number") or number_from_name(name)),
        created_at=aware_datetime(order["created_at"]),
        updated_at=aware_datetime(order.get("updated_at") or order["created_at"]),
        **status_fields(
            cancelled=order.get("cancelled_at") is not None,
            financial=order.get("financial_status"),
            fulfillment=order.get("fulfillment_status"),
        ),
        currency=order["currency"],
        taxes_included=taxes_included,
        customer=customer_from(
            shop_customer_id=customer.get("id"),
            email=first_text(order.get("email"), order.get("contact_email"), customer.get("email")),
            name=joined_name(customer.get("first_name"), customer.get("last_name")),
            phone=first_text(order.get("phone"), customer.get("phone")),
            billing=billing,
        ),
        billing_address=billing,
        shipping_address=address_from(order.get("shipping_address"), ADDRESS_KEYS),
        lines=tuple(_line(item, taxes_included) for item in order.get("line_items") or ()),
        shipping_lines=tuple(
            _shipping(line, taxes_included) for line in order.get("shipping_lines") or () if not line.get("is_removed")
        ),
        total=to_decimal(order["total_price"]),
        discount_codes=tuple(code["code"] for code in order.get("discount_codes") or () if code.get("code")),
    )


def _taxes(tax_lines: Any) -> Taxes:
    """REST tax lines carry ``rate`` as a fraction (0.25) and ``price`` as the amount."""
    return [(to_decimal(tax.get("rate")) * 100, to_decimal(tax.get("price"))) for tax in tax_lines or ()]


def _line(item: Mapping[str, Any], taxes_included: bool) -> OrderLine:
    discount = sum((to_decimal(a.get("amount")) for a in item.get("discount_allocations") or ()), ZERO)
    return shopify_line(
        line_id=str(item["id"]),
        sku=item.get("sku"),
        name=first_text(item.get("name"), item.get("title")) or "",
        quantity=to_decimal(item["quantity"]),
        unit_price=to_decimal(item["price"]),
        discount=discount,
        taxes=_taxes(item.get("tax_lines")),
        taxes_included=taxes_included,
    )


def _shipping(line: Mapping[str, Any], taxes_included: bool) -> ShippingLine:
    price = to_decimal(first_text(line.get("discounted_price"), line.get("price")))
    return shopify_shipping(
        title=first_text(line.get("title"), line.get("code")) or "Shipping",
        code=first_text(line.get("code")),
        price=price,
        taxes=_taxes(line.get("tax_lines")),
        taxes_included=taxes_included,
    )
