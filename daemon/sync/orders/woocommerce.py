"""WooCommerce REST v3 / webhook order JSON -> canonical Order.

Woo keeps line and shipping totals excluding tax even when the shop enters prices including tax
(``prices_include_tax``), with the tax beside them, so the excl-VAT figures are read, not derived.
A line's discount is ``subtotal`` (before coupons) minus ``total`` (after coupons): that is how Woo
allocates order-level coupons to lines. Percentages come from the order's ``tax_lines``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Mapping

from daemon.sync.model import (
    CANCELLED,
    FULFILLED,
    PAID,
    PENDING,
    REFUNDED,
    WOOCOMMERCE,
    Order,
    OrderLine,
    ShippingLine,
)
from daemon.sync.orders.amounts import ZERO, Taxes, round_half_up, to_decimal, vat_rate
from daemon.sync.orders.fields import address_from, aware_datetime, customer_from, first_text, joined_name

ADDRESS_KEYS = {
    "first": ("first_name",),
    "last": ("last_name",),
    "company": ("company",),
    "street": ("address_1",),
    "street2": ("address_2",),
    "city": ("city",),
    "zipcode": ("postcode",),
    "state": ("state",),
    "country_code": ("country",),
    "phone": ("phone",),
}

STATUS = {
    "processing": PAID,
    "completed": FULFILLED,
    "refunded": REFUNDED,
    "cancelled": CANCELLED,
    "trash": CANCELLED,
}

RatePercents = Mapping[str, Decimal]


def order_from_woocommerce(order: Mapping[str, Any], shop_id: str) -> Order:
    """Map one Woo order (REST response or webhook body)."""
    status = order["status"]
    taxes_included = bool(order.get("prices_include_tax"))
    normalised = STATUS.get(status, PENDING)
    rates = {
        str(tax["rate_id"]): to_decimal(tax["rate_percent"])
        for tax in order.get("tax_lines") or ()
        if tax.get("rate_percent") is not None
    }
    billing = address_from(order.get("billing"), ADDRESS_KEYS)
    raw_billing = order.get("billing") or {}
    created_at = _woo_datetime(order, "date_created")
    if created_at is None:
        raise ValueError(f"WooCommerce order {order['id']} has no date_created")
    return Order(
        shop_id=shop_id,
        shop_type=WOOCOMMERCE,
        shop_order_id=str(order["id"]),
        name=f"#{order.get('number') or order['id']}",
        number=str(order.get("number") or order["id"]),
        created_at=created_at,
        updated_at=_woo_datetime(order, "date_modified") or created_at,
        status=normalised,
        shop_status=status,
        financial_status=_financial(order, normalised),
        fulfillment_status="fulfilled" if normalised == FULFILLED else "unfulfilled",
        cancelled=normalised == CANCELLED,
        currency=order["currency"],
        taxes_included=taxes_included,
        customer=customer_from(
            shop_customer_id=order.get("customer_id") or None,
            email=raw_billing.get("email"),
            name=joined_name(raw_billing.get("first_name"), raw_billing.get("last_name")),
            phone=raw_billing.get("phone"),
            billing=billing,
        ),
        billing_address=billing,
        shipping_address=address_from(order.get("shipping"), ADDRESS_KEYS),
        lines=tuple(_line(item, rates, taxes_included) for item in order.get("line_items") or ()),
        shipping_lines=tuple(_shipping(line, rates) for line in order.get("shipping_lines") or ()),
        total=to_decimal(order["total"]),
        discount_codes=tuple(c["code"] for c in order.get("coupon_lines") or () if c.get("code")),
    )


def _financial(order: Mapping[str, Any], normalised: str) -> str:
    """Woo has no payment status field; ``date_paid`` is set once the order was paid."""
    if normalised == REFUNDED:
        return "refunded"
    return "paid" if first_text(order.get("date_paid_gmt"), order.get("date_paid")) else "pending"


def _woo_datetime(order: Mapping[str, Any], field: str) -> datetime | None:
    """Woo dates have no zone: ``<field>_gmt`` is UTC and ``<field>`` site-local; together they give the offset."""
    local, gmt = order.get(field), order.get(f"{field}_gmt")
    if not gmt:
        return aware_datetime(local) if local else None
    utc = datetime.fromisoformat(gmt).replace(tzinfo=timezone.utc)
    if not local:
        return utc
    offset = datetime.fromisoformat(local) - utc.replace(tzinfo=None)
    return utc.astimezone(timezone(offset))


def _taxes(taxes: Any, rates: RatePercents, net: Decimal) -> Taxes:
    """(percent, amount) per tax; a rate missing from ``tax_lines`` is derived from the amounts."""
    pairs = []
    for tax in taxes or ():
        amount = to_decimal(tax.get("total"))
        rate = rates.get(str(tax.get("id")))
        if rate is None:
            rate = round_half_up(amount / net * 100, 2) if net else ZERO
        pairs.append((rate, amount))
    return pairs


def _line(item: Mapping[str, Any], rates: RatePercents, taxes_included: bool) -> OrderLine:
    quantity = to_decimal(item["quantity"])
    subtotal = to_decimal(item.get("subtotal"))
    net = to_decimal(item.get("total"))
    rate = vat_rate(_taxes(item.get("taxes"), rates, net), net)
    return OrderLine(
        line_id=str(item["id"]),
        sku=first_text(item.get("sku")),
        name=first_text(item.get("name")) or "",
        quantity=quantity,
        unit_price_excl_vat=_unit_price(item, quantity, rate, taxes_included),
        discount=subtotal - net,
        vat_rate=rate,
        net_total=net,
        vat_total=to_decimal(item.get("total_tax")),
    )


def _unit_price(item: Mapping[str, Any], quantity: Decimal, rate: Decimal, taxes_included: bool) -> Decimal:
    """Excl-VAT unit price before coupons, 4 decimals.

    ``subtotal`` is rounded to cents, so with tax-inclusive prices 3 x 33.33 arrives as 79.99 excl.
    VAT; going back to the shown gross price (33.33 / 1.25 = 26.664) keeps the price the shop showed.
    """
    if not quantity:
        return ZERO
    subtotal = to_decimal(item.get("subtotal"))
    if not taxes_included:
        return round_half_up(subtotal / quantity, 4)
    gross_unit = (subtotal + to_decimal(item.get("subtotal_tax"))) / quantity
    return round_half_up(gross_unit / (1 + rate / 100), 4)


def _shipping(line: Mapping[str, Any], rates: RatePercents) -> ShippingLine:
    net = to_decimal(line.get("total"))
    return ShippingLine(
        title=first_text(line.get("method_title"), line.get("method_id")) or "Shipping",
        code=first_text(line.get("method_id")),
        vat_rate=vat_rate(_taxes(line.get("taxes"), rates, net), net),
        net_total=net,
        vat_total=to_decimal(line.get("total_tax")),
    )
