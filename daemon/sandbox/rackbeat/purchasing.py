"""Purchase orders: booking announces incoming stock, receipts bring it in.

Like sales, ``POST /purchase-orders`` books and ``/purchase-orders/drafts`` does not [inferred].
Lines accept ``item_id`` (newer API) or ``product_id`` (2018 spec) [notes §9.9].
"""

from __future__ import annotations

from decimal import Decimal

from .catalog import Product
from .document_model import Line
from .documents import DocumentBook


class PurchaseOrders(DocumentBook):
    kind = "purchase_order"
    fulfilment_kind = "purchase_order_receipt"
    done = "received"
    label = "Purchase order"

    def default_price(self, product: Product) -> Decimal:
        return product.cost_price

    def on_book(self, line: Line) -> None:
        self.catalog.change(line.product, line.location, "purchase order booked", incoming=line.outstanding)

    def on_fulfil(self, line: Line, quantity: Decimal) -> None:
        self.catalog.change(line.product, line.location, "receipt", stock=quantity, incoming=-quantity)
