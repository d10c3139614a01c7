"""The simulated warehouse floor: what Ongoing's staff do to the goods owner's data.

Used by the ``/_sandbox`` control endpoints and directly by tests and the demo. Every step keeps
physical stock, statuses and the change stamps behind the API's filters up to date; derived stock
figures follow by themselves (``inventory.py``). Orders and purchase orders are named by their
business numbers and lines by rowNumber, as the daemon knows them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from .errors import not_found, refused
from .store import ZERO, Adjustment, Article, ArticleItem, Order, PurchaseOrder, Store
from .times import iso

Quantities = dict[str, Decimal]  # rowNumber -> number of items


class Warehouse:
    def __init__(self, store: Store) -> None:
        self.store = store

    def order(self, number: str) -> Order:
        order = self.store.order_by_number(number)
        if order is None:
            raise not_found("Order with order number", number)
        return order

    def purchase_order(self, number: str) -> PurchaseOrder:
        purchase_order = self.store.purchase_order_by_number(number)
        if purchase_order is None:
            raise not_found("Purchase order with number", number)
        return purchase_order

    def article(self, number: str) -> Article:
        article = self.store.article_by_number(number)
        if article is None:
            raise not_found("Article with article number", number)
        return article

    def set_order_status(self, number: str, status: int) -> Order:
        order = self.order(number)
        self.store.set_status(order, self.store.order_statuses.require(status, "status"))
        return order

    def pick(self, number: str, quantities: Quantities | None = None) -> Order:
        """Pick the given rows (all that is left when None). Physical stock goes down; the order
        becomes Picked once every line is, and is at least Released otherwise."""
        order, statuses = self.order(number), self.store.order_statuses
        if order.status == statuses.cancelled:
            raise refused(f"Order {number} is cancelled.")
        wanted = quantities if quantities is not None else {row: ln.unpicked for row, ln in order.lines.items()}
        needed: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for row, quantity in wanted.items():
            line = order.lines.get(row)
            if line is None:
                raise not_found(f"Row {row} on order", number)
            if quantity < 0 or quantity > line.unpicked:
                raise refused(f"Cannot pick {quantity} of row {row}: {line.unpicked} left to pick.")
            needed[line.article.id] += quantity
        for article_id, quantity in needed.items():
            article = self.store.articles[article_id]
            if quantity > article.physical:
                raise refused(f"Not enough stock of {article.number}: {article.physical} in stock.")
        now = self.store.stamps.next()
        for row, quantity in wanted.items():
            line = order.lines[row]
            if quantity:
                line.picked_items.append(ArticleItem(next(self.store.article_item_ids), quantity, now))
                line.article.physical -= quantity
        done = all(line.unpicked == 0 for line in order.lines.values())
        target = statuses.picked if done else statuses.released
        self.store.set_status(order, max(order.status, target))
        order.updated = self.store.stamps.next()
        self.store.touch_stock(line.article for line in order.lines.values())
        return order

    def ship(self, number: str, waybill: str | None = None) -> Order:
        """Hand what has been picked to the carrier: status Sent, shippedTime and a tracking entry.
        Shipping after a partial pick is a partial delivery; the rest can be picked and shipped later."""
        order = self.order(number)
        if not any(line.picked for line in order.lines.values()):
            raise refused(f"Order {number} has nothing picked to ship.")
        self.store.set_status(order, max(order.status, self.store.order_statuses.sent))
        now = self.store.stamps.next()
        waybill = waybill or f"WB{order.id}{len(order.tracking) + 1:02d}"
        order.tracking.append(
            {"trackingUrl": f"https://tracking.example.com/{waybill}", "waybill": waybill, "created": iso(now)}
        )
        order.shipped_time = order.updated = now
        return order

    def set_purchase_order_status(self, number: str, status: int) -> PurchaseOrder:
        purchase_order = self.purchase_order(number)
        statuses = self.store.purchase_order_statuses
        self.store.set_status(purchase_order, statuses.require(status, "status"))
        return purchase_order

    def receive(self, number: str, quantities: Quantities | None = None) -> PurchaseOrder:
        """Receive the given rows (all that is still expected when None). Stock goes up; the purchase
        order becomes Received when every line is complete, Deviation otherwise."""
        purchase_order, statuses = self.purchase_order(number), self.store.purchase_order_statuses
        if purchase_order.status == statuses.cancelled:
            raise refused(f"Purchase order {number} is cancelled.")
        lines = purchase_order.lines
        wanted = quantities if quantities is not None else {
            row: max(ln.advised - ln.received, ZERO) for row, ln in lines.items()
        }  # fmt: skip
        for row, quantity in wanted.items():
            if row not in lines:
                raise not_found(f"Row {row} on purchase order", number)
            if quantity < 0:
                raise refused(f"Cannot receive {quantity} of row {row}.")
        now = self.store.stamps.next()
        for row, quantity in wanted.items():
            if quantity:
                lines[row].received_items.append(ArticleItem(next(self.store.article_item_ids), quantity, now))
                lines[row].article.physical += quantity
        complete = all(line.received >= line.advised for line in lines.values())
        self.store.set_status(purchase_order, statuses.received if complete else statuses.deviation)
        purchase_order.last_received = purchase_order.updated = self.store.stamps.next()
        self.store.touch_stock(line.article for line in lines.values())
        return purchase_order

    def adjust(
        self, article_number: str, delta: Decimal, cause: dict[str, Any] | None = None, comment: str | None = None
    ) -> Adjustment:
        """A stock correction (count difference, scrapping, find) of ``delta`` items, in its own inventory."""
        article = self.article(article_number)
        if not delta:
            raise refused("An inventory adjustment needs a non-zero numberOfItems.")
        if article.physical + delta < 0:
            raise refused(f"Stock of {article_number} cannot go below zero ({article.physical} in stock).")
        store = self.store
        adjustment = Adjustment(
            next(store.inventory_ids), article, delta, store.stamps.next(), next(store.article_item_ids), cause, comment
        )
        store.adjustments.append(adjustment)
        article.physical += delta
        store.touch_stock([article])
        return adjustment

    def set_stock(self, article_number: str, quantity: Decimal) -> Article:
        """Put goods on the shelf without an adjustment record (stock present before the integration)."""
        article = self.article(article_number)
        if quantity < 0:
            raise refused("Physical stock cannot be negative.")
        article.physical = quantity
        self.store.touch_stock([article])
        return article
