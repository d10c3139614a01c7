"""The stored records of one site. Money is ``Decimal`` in currency units, dates are aware UTC datetimes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

ORDER_STATUSES = (
    "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft",
)
ORDER_STATUS_NAMES = {
    "pending": "Pending payment", "processing": "Processing", "on-hold": "On hold", "completed": "Completed",
    "cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed", "checkout-draft": "Draft",
    "trash": "Trash",
}
PRODUCT_STATUSES = ("draft", "pending", "private", "publish")
PRODUCT_TYPES = ("simple", "grouped", "external", "variable")


@dataclass
class Product:
    """A product or a variation (``type == "variation"``); both live in ``wp_posts`` and share its ids."""

    id: int
    type: str
    name: str
    date_created: datetime
    date_modified: datetime
    parent_id: int = 0
    slug: str = ""
    status: str = "publish"
    sku: str = ""
    regular_price: str = ""
    sale_price: str = ""
    description: str = ""
    short_description: str = ""
    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = "instock"
    backorders: str = "no"
    weight: str = ""
    category_ids: list[int] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)
    variation_ids: list[int] = field(default_factory=list)
    meta_data: list[dict[str, Any]] = field(default_factory=list)

    @property
    def price(self) -> str:
        return self.sale_price if self.sale_price != "" else self.regular_price


@dataclass
class LineItem:
    id: int
    name: str
    product_id: int
    variation_id: int
    quantity: int
    sku: str
    subtotal: Decimal
    subtotal_tax: Decimal
    total: Decimal
    total_tax: Decimal
    taxes_total: dict[int, Decimal]
    taxes_subtotal: dict[int, Decimal]
    tax_class: str = ""
    reduced_stock: int = 0  # the ``_reduced_stock`` item meta


@dataclass
class ShippingLine:
    id: int
    method_title: str
    method_id: str
    total: Decimal
    taxes: dict[int, Decimal]


@dataclass
class CouponLine:
    id: int
    code: str
    discount: Decimal
    discount_tax: Decimal
    discount_type: str
    nominal_amount: Decimal


@dataclass
class TaxLine:
    id: int
    rate_id: int
    rate_code: str
    label: str
    compound: bool
    tax_total: Decimal
    shipping_tax_total: Decimal
    rate_percent: Decimal


@dataclass
class Order:
    id: int
    status: str
    currency: str
    prices_include_tax: bool
    date_created: datetime
    date_modified: datetime
    order_key: str
    billing: dict[str, str]
    shipping: dict[str, str]
    line_items: list[LineItem]
    shipping_lines: list[ShippingLine]
    coupon_lines: list[CouponLine]
    tax_lines: list[TaxLine]
    discount_total: Decimal
    discount_tax: Decimal
    shipping_total: Decimal
    shipping_tax: Decimal
    cart_tax: Decimal
    total: Decimal
    customer_id: int = 0
    customer_note: str = ""
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    created_via: str = "checkout"
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    stock_reduced: bool = False
    meta_data: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_tax(self) -> Decimal:
        return self.cart_tax + self.shipping_tax


@dataclass
class Note:
    id: int
    order_id: int
    note: str
    customer_note: bool
    author: str
    date_created: datetime
