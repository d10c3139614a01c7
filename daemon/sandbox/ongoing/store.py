"""The in-memory data of one goods owner: articles, orders, purchase orders, adjustments.

An API user belongs to exactly one goods owner, so one emulator serves one goods owner. Quantities
are Decimals; derived stock figures live in ``inventory.py`` so they can never drift apart.
Id sequences start at different values so a daemon that mixes up id kinds hits a 404.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable

from .errors import not_found
from .statuses import OrderStatuses, PurchaseOrderStatuses
from .times import Stamps

ZERO = Decimal(0)
# The one physical warehouse of the emulated system, as GET answers name it.
WAREHOUSE = {"id": 1, "code": "MAIN", "name": "Main warehouse"}


@dataclass
class Article:
    id: int
    number: str
    fields: dict[str, Any]  # the PostArticleModel fields as last sent
    data_updated: datetime
    stock_changed: datetime
    physical: Decimal = ZERO

    def ref(self) -> dict[str, Any]:
        return {
            "articleSystemId": self.id,
            "articleNumber": self.number,
            "articleName": self.fields.get("articleName"),
            "productCode": self.fields.get("productCode"),
        }


@dataclass
class ArticleItem:
    """Goods physically moved for a line: picked out (orders) or received in (purchase orders)."""

    id: int
    quantity: Decimal
    time: datetime


@dataclass
class OrderLine:
    id: int
    row: str
    article: Article
    ordered: Decimal
    fields: dict[str, Any]  # externalId, prices, comment, ... as sent
    picked_items: list[ArticleItem] = field(default_factory=list)
    reported: Decimal | None = None

    @property
    def picked(self) -> Decimal:
        return sum((item.quantity for item in self.picked_items), ZERO)

    @property
    def unpicked(self) -> Decimal:
        return max(self.ordered - self.picked, ZERO)


@dataclass
class Order:
    id: int
    number: str
    fields: dict[str, Any]  # order-level fields as sent (references, notifications, advanced, ...)
    consignee: dict[str, Any]
    lines: dict[str, OrderLine]  # by rowNumber
    status: int
    created: datetime
    updated: datetime
    status_changed: datetime
    shipped_time: datetime | None = None
    tracking: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PurchaseOrderLine:
    id: int
    row: str
    article: Article
    advised: Decimal
    fields: dict[str, Any]
    received_items: list[ArticleItem] = field(default_factory=list)
    reported: Decimal | None = None

    @property
    def received(self) -> Decimal:
        return sum((item.quantity for item in self.received_items), ZERO)


@dataclass
class PurchaseOrder:
    id: int
    number: str
    fields: dict[str, Any]
    supplier: dict[str, Any]
    lines: dict[str, PurchaseOrderLine]
    status: int
    created: datetime
    updated: datetime
    status_changed: datetime
    last_received: datetime | None = None


@dataclass
class Adjustment:
    """One article's signed stock correction within an inventory (count) session."""

    inventory_id: int
    article: Article
    quantity: Decimal
    time: datetime
    item_id: int
    cause: dict[str, Any] | None
    comment: str | None
    reported: bool = False


class Store:
    def __init__(
        self,
        *,
        goods_owner_id: int,
        goods_owner_name: str,
        order_statuses: OrderStatuses,
        purchase_order_statuses: PurchaseOrderStatuses,
        stamps: Stamps,
    ) -> None:
        self.goods_owner_id = goods_owner_id
        self.goods_owner_name = goods_owner_name
        self.order_statuses = order_statuses
        self.purchase_order_statuses = purchase_order_statuses
        self.stamps = stamps
        self.articles: dict[int, Article] = {}
        self.orders: dict[int, Order] = {}
        self.purchase_orders: dict[int, PurchaseOrder] = {}
        self.adjustments: list[Adjustment] = []
        self.customers: dict[str, int] = {}  # customerNumber -> consignee id
        self.article_ids = itertools.count(18001)
        self.order_ids = itertools.count(700001)
        self.order_line_ids = itertools.count(3000001)
        self.purchase_order_ids = itertools.count(50001)
        self.purchase_order_line_ids = itertools.count(900001)
        self.inventory_ids = itertools.count(4001)
        self.article_item_ids = itertools.count(6000001)
        self.customer_ids = itertools.count(21001)

    def goods_owner(self) -> dict[str, Any]:
        return {"id": self.goods_owner_id, "name": self.goods_owner_name}

    def article(self, article_id: int) -> Article:
        if article_id not in self.articles:
            raise not_found("Article with articleSystemId", article_id)
        return self.articles[article_id]

    def article_by_number(self, number: str) -> Article | None:
        return next((a for a in self.articles.values() if a.number == number), None)

    def order(self, order_id: int) -> Order:
        if order_id not in self.orders:
            raise not_found("Order with orderId", order_id)
        return self.orders[order_id]

    def order_by_number(self, number: str) -> Order | None:
        return next((o for o in self.orders.values() if o.number == number), None)

    def purchase_order(self, purchase_order_id: int) -> PurchaseOrder:
        if purchase_order_id not in self.purchase_orders:
            raise not_found("Purchase order with purchaseOrderId", purchase_order_id)
        return self.purchase_orders[purchase_order_id]

    def purchase_order_by_number(self, number: str) -> PurchaseOrder | None:
        return next((p for p in self.purchase_orders.values() if p.number == number), None)

    def customer_id(self, customer_number: str | None) -> int:
        """Ongoing upserts a customer record per consignee customerNumber (a fresh one without)."""
        if not customer_number:
            return next(self.customer_ids)
        return self.customers.setdefault(customer_number, next(self.customer_ids))

    def set_status(self, document: Order | PurchaseOrder, status: int) -> None:
        """An order or purchase order moves to ``status``; the change times and its articles' stock follow."""
        if status == document.status:
            return
        document.status = status
        document.status_changed = document.updated = self.stamps.next()
        self.touch_stock(line.article for line in document.lines.values())

    def touch_stock(self, articles: Iterable[Article]) -> None:
        """Some inventoryInfo figure of these articles changed (feeds ``stockInfoChangedFrom``)."""
        for article in articles:
            article.stock_changed = self.stamps.next()
