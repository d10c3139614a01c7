"""In-memory state of one shop: plain records plus the indexes the API needs.

Records hold raw values (Decimal money, datetime); GraphQL views and REST JSON render them. Behaviour
(placing orders, fulfilling, setting stock) lives in its own modules and goes through ``ShopState.publish``
so every change fires the webhooks Shopify would fire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from .ids import now_utc
from .spec import ShopSpec

Publish = Callable[[str, dict[str, Any]], None]


@dataclass
class Location:
    id: int
    name: str
    active: bool = True


@dataclass
class InventoryItem:
    id: int
    variant_id: int
    tracked: bool = True
    requires_shipping: bool = True
    cost: Decimal | None = None
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)


@dataclass
class InventoryLevel:
    """``available`` = ``on_hand`` − ``committed``: orders commit stock, fulfilments take it off hand."""

    inventory_item_id: int
    location_id: int
    on_hand: int = 0
    committed: int = 0
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)

    @property
    def available(self) -> int:
        return self.on_hand - self.committed

    def quantity(self, name: str) -> int:
        return {"available": self.available, "on_hand": self.on_hand, "committed": self.committed}.get(
            name, 0
        )


@dataclass
class Variant:
    id: int
    product_id: int
    inventory_item_id: int
    sku: str | None
    price: Decimal
    options: list[str]
    position: int = 1
    barcode: str | None = None
    compare_at_price: Decimal | None = None
    taxable: bool = True
    inventory_policy: str = "DENY"
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)

    @property
    def title(self) -> str:
        return " / ".join(self.options) or "Default Title"


@dataclass
class Product:
    id: int
    title: str
    handle: str
    option_names: list[str]
    variant_ids: list[int] = field(default_factory=list)
    status: str = "ACTIVE"
    vendor: str = ""
    product_type: str = ""
    description_html: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)


@dataclass
class Customer:
    id: int
    email: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None


@dataclass
class TaxLine:
    title: str
    rate: Decimal
    price: Decimal


@dataclass
class DiscountApplication:
    """A discount code on the order; ``value`` is the percentage or the fixed amount as entered."""

    code: str
    value_type: str  # "percentage" | "fixed_amount"
    value: Decimal
    amount: Decimal  # what it took off the order in total


@dataclass
class LineItem:
    id: int
    product_id: int | None
    variant_id: int | None
    sku: str | None
    title: str
    variant_title: str | None
    quantity: int
    price: Decimal
    tax_lines: list[TaxLine]
    discount_allocations: list[tuple[Decimal, int]]  # (amount, discount_application_index)
    current_quantity: int = 0

    @property
    def name(self) -> str:
        return f"{self.title} - {self.variant_title}" if self.variant_title else self.title

    @property
    def total_discount(self) -> Decimal:
        return sum((amount for amount, _ in self.discount_allocations), Decimal("0.00"))


@dataclass
class ShippingLine:
    id: int
    title: str
    code: str
    price: Decimal
    tax_lines: list[TaxLine]


@dataclass
class Order:
    id: int
    number: int
    email: str | None
    phone: str | None
    customer_id: int | None
    billing_address: dict | None
    shipping_address: dict | None
    currency: str
    taxes_included: bool
    financial_status: str
    line_items: list[LineItem]
    shipping_lines: list[ShippingLine]
    discounts: list[DiscountApplication]
    total_line_items_price: Decimal
    total_discounts: Decimal
    subtotal_price: Decimal
    total_shipping: Decimal
    total_tax: Decimal
    total_price: Decimal
    created_at: datetime
    updated_at: datetime
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    closed_at: datetime | None = None
    fulfillment_order_ids: list[int] = field(default_factory=list)
    fulfillment_ids: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"#{self.number}"

    def tax_totals(self) -> dict[tuple[str, Decimal], Decimal]:
        """Order-level tax lines: line and shipping taxes summed per (title, rate)."""
        totals: dict[tuple[str, Decimal], Decimal] = {}
        for line in [*self.line_items, *self.shipping_lines]:
            for tax in line.tax_lines:
                totals[(tax.title, tax.rate)] = totals.get((tax.title, tax.rate), Decimal("0.00")) + tax.price
        return totals


@dataclass
class FulfillmentOrderLineItem:
    id: int
    line_item_id: int
    total_quantity: int
    remaining_quantity: int


@dataclass
class FulfillmentOrder:
    id: int
    order_id: int
    location_id: int
    line_items: list[FulfillmentOrderLineItem]
    status: str = "OPEN"
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)


@dataclass
class Fulfillment:
    id: int
    order_id: int
    location_id: int
    name: str
    lines: list[tuple[int, int]]  # (order line item id, quantity)
    tracking_company: str | None
    tracking_number: str | None
    tracking_url: str | None
    status: str = "SUCCESS"
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)


@dataclass
class WebhookSubscription:
    id: int
    topic: str  # REST form, e.g. "orders/create"
    uri: str
    format: str = "JSON"
    include_fields: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)


@dataclass
class InventoryChange:
    name: str
    delta: int
    quantity_after_change: int
    inventory_item_id: int
    location_id: int


@dataclass
class InventoryAdjustmentGroup:
    id: int
    reason: str
    reference_document_uri: str | None
    changes: list[InventoryChange]
    created_at: datetime = field(default_factory=now_utc)


class ShopState:
    """Everything one shop holds; ids come from one counter so they are unique across kinds, like Shopify's."""

    def __init__(self, spec: ShopSpec, publish: Publish) -> None:
        self.spec = spec
        self.publish = publish
        self._last_id = 1_000_000
        self.last_order_number = 1000
        self.locations: dict[int, Location] = {}
        self.products: dict[int, Product] = {}
        self.variants: dict[int, Variant] = {}
        self.inventory_items: dict[int, InventoryItem] = {}
        self.levels: dict[tuple[int, int], InventoryLevel] = {}
        self.customers: dict[int, Customer] = {}
        self.orders: dict[int, Order] = {}
        self.fulfillment_orders: dict[int, FulfillmentOrder] = {}
        self.fulfillments: dict[int, Fulfillment] = {}
        self.webhook_subscriptions: dict[int, WebhookSubscription] = {}
        self.adjustment_groups: dict[int, InventoryAdjustmentGroup] = {}
        self.idempotent_results: dict[str, tuple[str, Any]] = {}

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def variants_by_sku(self, sku: str) -> list[Variant]:
        return [variant for variant in self.variants.values() if variant.sku == sku]

    def variant_of_item(self, inventory_item_id: int) -> Variant:
        return self.variants[self.inventory_items[inventory_item_id].variant_id]

    def level(self, inventory_item_id: int, location_id: int) -> InventoryLevel | None:
        return self.levels.get((inventory_item_id, location_id))

    def levels_of_item(self, inventory_item_id: int) -> list[InventoryLevel]:
        return [level for (item_id, _), level in self.levels.items() if item_id == inventory_item_id]

    def find_customer(self, email: str | None) -> Customer | None:
        return next((c for c in self.customers.values() if email and c.email == email), None)

    def line_item(self, order: Order, line_item_id: int) -> LineItem:
        return next(item for item in order.line_items if item.id == line_item_id)

    def fulfilled_quantity(self, order: Order, line_item_id: int) -> int:
        return sum(
            quantity
            for fulfillment_id in order.fulfillment_ids
            for item_id, quantity in self.fulfillments[fulfillment_id].lines
            if item_id == line_item_id
        )

    def fulfillment_status(self, order: Order) -> str | None:
        """REST ``fulfillment_status``: null, "partial" or "fulfilled"."""
        shipped = sum(self.fulfilled_quantity(order, item.id) for item in order.line_items)
        if shipped == 0:
            return None
        wanted = sum(item.current_quantity for item in order.line_items)
        return "fulfilled" if shipped >= wanted else "partial"
