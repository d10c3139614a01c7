"""The canonical order model every shop adapter maps into and the Rackbeat mappers read from.

Shops disagree on almost everything (tax-inclusive prices, where discounts live, how a status is
spelled), so each adapter translates once into these frozen dataclasses and nothing downstream
looks at shop JSON again. Money is always Decimal in the order's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# Normalised order states, in the order an order usually moves through them.
PENDING = "pending"
PAID = "paid"
FULFILLED = "fulfilled"
REFUNDED = "refunded"
CANCELLED = "cancelled"

SHOPIFY = "shopify"
WOOCOMMERCE = "woocommerce"


@dataclass(frozen=True)
class Address:
    """A postal address; any part may be missing because shops hide protected customer data."""

    name: str | None = None
    company: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    zipcode: str | None = None
    state: str | None = None
    country: str | None = None
    country_code: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Customer:
    """The buyer; ``email`` is None for guest or protected-data orders (they go to a default customer)."""

    shop_customer_id: str | None
    email: str | None
    name: str | None
    company: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class OrderLine:
    """One product line with the amounts the shop charged, all excluding VAT.

    ``net_total`` (after discounts) and ``vat_total`` are the shop's own figures and are authoritative.
    ``unit_price_excl_vat`` and ``discount`` explain how the shop got there; after converting a
    tax-inclusive price they can be a fraction of a cent away from ``net_total``.
    """

    line_id: str
    sku: str | None
    name: str
    quantity: Decimal
    unit_price_excl_vat: Decimal
    discount: Decimal
    vat_rate: Decimal  # percent, e.g. Decimal("25")
    net_total: Decimal
    vat_total: Decimal

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.vat_total


@dataclass(frozen=True)
class ShippingLine:
    """A shipping charge after shipping discounts, excluding VAT, with the VAT the shop charged on it."""

    title: str
    code: str | None
    vat_rate: Decimal
    net_total: Decimal
    vat_total: Decimal

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.vat_total


@dataclass(frozen=True)
class Order:
    """A shop order as the daemon understands it, whatever shop it came from."""

    shop_id: str
    shop_type: str  # SHOPIFY | WOOCOMMERCE
    shop_order_id: str
    name: str  # what the shop shows, e.g. "#1001"
    number: str
    created_at: datetime  # aware, in the shop's own UTC offset where the shop tells it
    updated_at: datetime
    status: str  # PENDING | PAID | FULFILLED | REFUNDED | CANCELLED
    shop_status: str  # Woo's status word (for its status triggers); Shopify's "financial/fulfillment"
    financial_status: str
    fulfillment_status: str
    cancelled: bool
    currency: str
    taxes_included: bool
    customer: Customer
    billing_address: Address | None
    shipping_address: Address | None
    lines: tuple[OrderLine, ...]
    shipping_lines: tuple[ShippingLine, ...]
    total: Decimal  # the shop's order total, VAT included
    discount_codes: tuple[str, ...] = ()
