"""Shopify Admin GraphQL order node (from an ``orders`` query) -> canonical Order.

Field names follow the Admin API (``legacyResourceId``, ``totalPriceSet{shopMoney{amount}}``, ...).
Connections are read whether the query asked for ``nodes`` or ``edges{node}``, and enums
(``PAID``, ``PARTIALLY_FULFILLED``) are lower-cased into the REST vocabulary.
"""

from __future__ import annotations

from decimal import Decimal
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
    "first": ("firstName",),
    "last": ("lastName",),
    "company": ("company",),
    "street": ("address1",),
    "street2": ("address2",),
    "city": ("city",),
    "zipcode": ("zip",),
    "state": ("province",),
    "country": ("country",),
    "country_code": ("countryCodeV2", "countryCode"),
    "phone": ("phone",),
}


def order_from_shopify_graphql(node: Mapping[str, Any], shop_id: str) -> Order:
    """Map one order node."""
    taxes_included = bool(node.get("taxesIncluded"))
    name = node.get("name") or f"#{legacy_id(node)}"
    billing = address_from(node.get("billingAddress"), ADDRESS_KEYS)
    customer = node.get("customer") or {}
    return Order(
        shop_id=shop_id,
        shop_type=SHOPIFY,
        shop_order_id=legacy_id(node),
        name=name,
        number=number_from_name(name),
        created_at=aware_datetime(node["createdAt"]),
        updated_at=aware_datetime(node.get("updatedAt") or node["createdAt"]),
        **status_fields(
            cancelled=node.get("cancelledAt") is not None,
            financial=node.get("displayFinancialStatus"),
            fulfillment=node.get("displayFulfillmentStatus"),
        ),
        currency=node.get("currencyCode") or node["totalPriceSet"]["shopMoney"]["currencyCode"],
        taxes_included=taxes_included,
        customer=customer_from(
            shop_customer_id=first_text(customer.get("legacyResourceId")) or _gid_tail(customer.get("id")),
            email=first_text(node.get("email"), customer.get("email")),
            name=joined_name(customer.get("firstName"), customer.get("lastName")),
            phone=first_text(node.get("phone"), customer.get("phone")),
            billing=billing,
        ),
        billing_address=billing,
        shipping_address=address_from(node.get("shippingAddress"), ADDRESS_KEYS),
        lines=tuple(_line(item, taxes_included) for item in connection_nodes(node.get("lineItems"))),
        shipping_lines=tuple(
            _shipping(line, taxes_included)
            for line in connection_nodes(node.get("shippingLines"))
            if not line.get("isRemoved")
        ),
        total=_money(node["totalPriceSet"]),
        discount_codes=tuple(node.get("discountCodes") or ()),
    )


def connection_nodes(connection: Any) -> list[Mapping[str, Any]]:
    """The objects of a connection, given as ``{nodes}``, ``{edges{node}}`` or already a list."""
    if not connection:
        return []
    if isinstance(connection, list):
        return connection
    if connection.get("nodes") is not None:
        return connection["nodes"]
    return [edge["node"] for edge in connection.get("edges") or ()]


def legacy_id(node: Mapping[str, Any]) -> str:
    """The REST id: ``legacyResourceId`` or the tail of ``gid://shopify/Order/450789469``."""
    return first_text(node.get("legacyResourceId")) or _gid_tail(node["id"]) or ""


def _gid_tail(gid: Any) -> str | None:
    return first_text(str(gid).rsplit("/", 1)[-1]) if gid else None


def _money(bag: Mapping[str, Any] | None) -> Decimal:
    """``{shopMoney{amount}}`` -> Decimal; the shop currency, like the order total."""
    return to_decimal(((bag or {}).get("shopMoney") or {}).get("amount"))


def _taxes(tax_lines: Any) -> Taxes:
    taxes = []
    for tax in connection_nodes(tax_lines):
        percent = tax.get("ratePercentage")
        rate = to_decimal(percent) if percent is not None else to_decimal(tax.get("rate")) * 100
        taxes.append((rate, _money(tax.get("priceSet"))))
    return taxes


def _line(item: Mapping[str, Any], taxes_included: bool) -> OrderLine:
    discount = sum(
        (_money(a.get("allocatedAmountSet")) for a in connection_nodes(item.get("discountAllocations"))), ZERO
    )
    return shopify_line(
        line_id=_gid_tail(item.get("id")) or "",
        sku=item.get("sku"),
        name=first_text(item.get("name"), item.get("title")) or "",
        quantity=to_decimal(item["quantity"]),
        unit_price=_money(item.get("originalUnitPriceSet")),
        discount=discount,
        taxes=_taxes(item.get("taxLines")),
        taxes_included=taxes_included,
    )


def _shipping(line: Mapping[str, Any], taxes_included: bool) -> ShippingLine:
    price_set = line.get("discountedPriceSet") or line.get("originalPriceSet")
    return shopify_shipping(
        title=first_text(line.get("title"), line.get("code")) or "Shipping",
        code=first_text(line.get("code")),
        price=_money(price_set),
        taxes=_taxes(line.get("taxLines")),
        taxes_included=taxes_included,
    )
