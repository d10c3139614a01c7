"""Orders after checkout: status transitions and their side effects (notes, ``date_paid``/``date_completed``,
stock reduction and restoration), merchant updates, trash."""

from __future__ import annotations

from typing import Any

from .checkout import BILLING_FIELDS, SHIPPING_FIELDS, Checkout, address
from .dates import now_utc
from .models import ORDER_STATUS_NAMES, ORDER_STATUSES, Note, Order
from .products import ProductService
from .store import SiteStore
from .wire import RestError, invalid_params

REDUCES_STOCK = ("processing", "completed", "on-hold")  # wc_maybe_reduce_stock_levels hooks
RESTORES_STOCK = ("cancelled", "pending")  # wc_maybe_increase_stock_levels hooks
PAID_STATUSES = ("processing", "completed")


def invalid_order_id(status: int = 404) -> RestError:
    return RestError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", status)


class OrderService:
    """Every order write of one site; fires ``order.*`` events and moves stock through ``ProductService``."""

    def __init__(self, store: SiteStore, products: ProductService, *, currency: str, prices_include_tax: bool) -> None:
        self.store = store
        self.products = products
        self.checkout = Checkout(store, products, currency=currency, prices_include_tax=prices_include_tax)

    def get(self, order_id: int, status: int = 404) -> Order:
        order = self.store.orders.get(order_id)
        if order is None:
            raise invalid_order_id(status)
        return order

    # ---- checkout ----------------------------------------------------------------------------

    def place(self, body: dict[str, Any]) -> Order:
        """Checkout: the order is created pending (``order.created``), then moved to the requested status."""
        target = body.get("status", "processing")
        if target not in ORDER_STATUSES:
            raise invalid_params({"status": f"status is not one of {', '.join(ORDER_STATUSES)}."})
        order = self.checkout.build(body, "checkout-draft" if target == "checkout-draft" else "pending")
        self.store.orders[order.id] = order
        self.store.emit("order", "created", order.id)
        self.transition(order, target)
        return order

    # ---- status ------------------------------------------------------------------------------

    def transition(self, order: Order, to: str) -> None:
        """``WC_Order::status_transition`` plus the stock hooks registered on the target status."""
        before = order.status
        if before == to:
            return
        now = now_utc()
        order.status = to
        order.date_modified = now
        if to in PAID_STATUSES and order.date_paid is None:
            order.date_paid = now
        if to == "completed":
            order.date_completed = now
        self.add_note(order, f"Order status changed from {ORDER_STATUS_NAMES[before]} to {ORDER_STATUS_NAMES[to]}.")
        if to in REDUCES_STOCK and not order.stock_reduced:
            self._move_stock(order, reduce=True)
        elif to in RESTORES_STOCK and order.stock_reduced:
            self._move_stock(order, reduce=False)
        self.store.emit("order", "updated", order.id)

    def _move_stock(self, order: Order, *, reduce: bool) -> None:
        changes = []
        for item in order.line_items:
            product = self.store.products.get(item.variation_id or item.product_id)
            owner = self.products.stock_owner(product) if product else None
            if owner is None or (not reduce and not item.reduced_stock):
                continue
            qty = item.quantity if reduce else item.reduced_stock
            before, after = self.products.change_stock(owner, -qty if reduce else qty)
            item.reduced_stock = qty if reduce else 0
            label = owner.sku or f"#{owner.id}"
            changes.append(f"{product.name} ({label}) {before}&rarr;{after}")
        order.stock_reduced = reduce
        if changes:
            verb = "reduced" if reduce else "increased"
            self.add_note(order, f"Stock levels {verb}: " + ", ".join(changes))

    # ---- merchant edits ----------------------------------------------------------------------

    def update(self, order: Order, body: dict[str, Any]) -> Order:
        """``PUT /orders/{id}``: status, addresses, notes and payment fields; ``order.updated`` when anything changed."""
        status = body.get("status")
        if status is not None and status not in ORDER_STATUSES:
            raise invalid_params({"status": f"status is not one of {', '.join(ORDER_STATUSES)}."})
        changed = False
        for name in ("customer_note", "transaction_id", "payment_method", "payment_method_title"):
            if name in body and getattr(order, name) != str(body[name]):
                setattr(order, name, str(body[name]))
                changed = True
        for name, fields in (("billing", BILLING_FIELDS), ("shipping", SHIPPING_FIELDS)):
            if isinstance(body.get(name), dict):
                merged = address(fields, body[name], getattr(order, name))
                changed |= merged != getattr(order, name)
                setattr(order, name, merged)
        if body.get("set_paid") is True and status is None and order.status in ("pending", "failed", "on-hold", "cancelled"):
            status = "processing"
        if status is not None and status != order.status:
            self.transition(order, status)
        elif changed:
            order.date_modified = now_utc()
            self.store.emit("order", "updated", order.id)
        return order

    def delete(self, order: Order, force: bool) -> Order:
        if force:
            del self.store.orders[order.id]
        elif order.status == "trash":
            raise RestError("woocommerce_rest_already_trashed", "The order has already been deleted.", 410)
        else:
            order.status = "trash"
            order.date_modified = now_utc()
        self.store.emit("order", "deleted", order.id)
        return order

    def add_note(self, order: Order, text: str, *, customer_note: bool = False, author: str = "system") -> Note:
        note = Note(
            id=self.store.next_comment_id(),
            order_id=order.id,
            note=text,
            customer_note=customer_note,
            author=author,
            date_created=now_utc(),
        )
        self.store.notes.append(note)
        return note
