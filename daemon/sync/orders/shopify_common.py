"""Shopify order arithmetic and status rules shared by the REST/webhook and GraphQL mappers.

Both APIs describe the same order with different field names; the mappers only extract values and
hand them here, so the money rules exist once.

Shopify's amounts: a line's ``price`` is the unit price (VAT included when the shop has
``taxes_included``), discount allocations are per line in the same basis, and each tax line carries
the tax Shopify computed on the discounted line.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.sync.model import CANCELLED, FULFILLED, PAID, PENDING, REFUNDED, OrderLine, ShippingLine
from daemon.sync.orders.amounts import ZERO, Taxes, round_half_up, vat_rate
from daemon.sync.orders.fields import first_text

PAID_FINANCIAL = frozenset({"paid", "partially_refunded"})
REFUNDED_FINANCIAL = frozenset({"refunded", "voided"})


def _net_and_vat(charged: Decimal, taxes: Taxes, taxes_included: bool) -> tuple[Decimal, Decimal]:
    """Split what the shop charged for a line (after discounts) into excl-VAT amount and VAT."""
    vat = sum((amount for _, amount in taxes), ZERO)
    return (charged - vat if taxes_included else charged), vat


def _excl_vat(amount: Decimal, rate: Decimal, taxes_included: bool) -> Decimal:
    return amount / (1 + rate / 100) if taxes_included else amount


def shopify_line(
    *,
    line_id: str,
    sku: str | None,
    name: str,
    quantity: Decimal,
    unit_price: Decimal,
    discount: Decimal,
    taxes: Taxes,
    taxes_included: bool,
) -> OrderLine:
    """A Shopify line item from its unit price, summed discount allocations and tax lines."""
    net, vat = _net_and_vat(unit_price * quantity - discount, taxes, taxes_included)
    rate = vat_rate(taxes, net)
    return OrderLine(
        line_id=line_id,
        sku=first_text(sku),
        name=name,
        quantity=quantity,
        unit_price_excl_vat=round_half_up(_excl_vat(unit_price, rate, taxes_included), 4),
        discount=round_half_up(_excl_vat(discount, rate, taxes_included), 2),
        vat_rate=rate,
        net_total=net,
        vat_total=vat,
    )


def shopify_shipping(
    *, title: str, code: str | None, price: Decimal, taxes: Taxes, taxes_included: bool
) -> ShippingLine:
    """A shipping line from its discounted price and tax lines."""
    net, vat = _net_and_vat(price, taxes, taxes_included)
    return ShippingLine(title=title, code=code, vat_rate=vat_rate(taxes, net), net_total=net, vat_total=vat)


def status_fields(*, cancelled: bool, financial: str | None, fulfillment: str | None) -> dict[str, object]:
    """The ``Order`` status fields from Shopify's words, as REST or GraphQL spell them."""
    financial = (financial or "pending").lower()
    fulfillment = fulfillment_word(fulfillment)
    return {
        "status": shopify_status(cancelled=cancelled, financial=financial, fulfillment=fulfillment),
        "shop_status": f"{financial}/{fulfillment}",
        "financial_status": financial,
        "fulfillment_status": fulfillment,
        "cancelled": cancelled,
    }


def shopify_status(*, cancelled: bool, financial: str, fulfillment: str) -> str:
    """Normalised status; financial/fulfillment are already lower-case snake words."""
    if cancelled:
        return CANCELLED
    if financial in REFUNDED_FINANCIAL:
        return REFUNDED
    if fulfillment == "fulfilled":
        return FULFILLED
    if financial in PAID_FINANCIAL:
        return PAID
    return PENDING


def fulfillment_word(raw: str | None) -> str:
    """REST says null/"partial", GraphQL "UNFULFILLED"/"PARTIALLY_FULFILLED": one vocabulary for both."""
    word = (raw or "unfulfilled").lower()
    return "partially_fulfilled" if word == "partial" else word


def number_from_name(name: str) -> str:
    """"#1001" -> "1001"; shops with a custom prefix/suffix keep their digits."""
    digits = "".join(ch for ch in name if ch.isdigit())
    return digits or name
