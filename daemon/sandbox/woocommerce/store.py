"""One site's in-memory database: the records, the id sequences WordPress would hand out, and change events."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Callable

from .models import Note, Order, Product
from .totals import TaxRate

Listener = Callable[[str, str, int], None]  # (resource, event, resource id)

UNCATEGORIZED = {"id": 15, "name": "Uncategorized", "slug": "uncategorized"}


class SiteStore:
    """Products, variations and orders share the ``wp_posts`` id sequence, so order ids are not 1, 2, 3."""

    def __init__(self) -> None:
        self._post_ids = itertools.count(10)
        self._item_ids = itertools.count(1)
        self._comment_ids = itertools.count(1)
        self._tax_rate_ids = itertools.count(1)
        self.products: dict[int, Product] = {}
        self.orders: dict[int, Order] = {}
        self.notes: list[Note] = []
        self.categories: dict[int, dict[str, object]] = {UNCATEGORIZED["id"]: dict(UNCATEGORIZED)}
        self.tax_rates: dict[Decimal, TaxRate] = {}
        self._listeners: list[Listener] = []

    def next_post_id(self) -> int:
        return next(self._post_ids)

    def next_item_id(self) -> int:
        return next(self._item_ids)

    def next_comment_id(self) -> int:
        return next(self._comment_ids)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def emit(self, resource: str, event: str, resource_id: int) -> None:
        """A WooCommerce action fired (``woocommerce_update_order`` ...); webhooks listen here."""
        for listener in self._listeners:
            listener(resource, event, resource_id)

    def tax_rate(self, percent: Decimal) -> TaxRate:
        """The shop's rate for a percentage, created on first use like a row of the tax table.

        The code follows ``WC_Tax::get_rate_code`` (COUNTRY-STATE-NAME-PRIORITY, empty parts dropped);
        the emulated rates apply to every country, so the code is ``NAME-PRIORITY``.
        """
        key = percent.normalize()
        if key not in self.tax_rates:
            label = f"VAT {key:f}%"
            self.tax_rates[key] = TaxRate(
                id=next(self._tax_rate_ids), percent=percent, label=label, rate_code=f"{label.upper()}-1"
            )
        return self.tax_rates[key]

    def live_products(self) -> list[Product]:
        return [p for p in self.products.values() if p.status != "trash"]

    def sku_owner(self, sku: str, exclude_id: int) -> Product | None:
        """The non-trashed product or variation already using ``sku`` (``is_existing_sku``)."""
        for product in self.live_products():
            if product.sku == sku and product.id != exclude_id:
                return product
        return None

    def notes_for(self, order_id: int) -> list[Note]:
        return [note for note in self.notes if note.order_id == order_id]
