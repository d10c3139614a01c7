"""Sales orders: booking reserves stock, shipments ship it out, conversion makes an invoice.

``POST /orders`` books immediately and ``POST /orders/drafts`` does not [inferred from the docs'
wording, notes §5.5]. Cancelling is refused once anything was shipped or a shipment exists
[inferred endpoint and rule].
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .catalog import Product
from .document_model import Document, Fulfilment, Line
from .documents import DocumentBook
from .events import Event
from .failures import Problems, not_found, unprocessable
from .money import document_totals
from .stamps import iso


@dataclass(eq=False)
class Invoice:
    number: int
    order: Document
    is_booked: bool
    created_at: datetime


class SalesOrders(DocumentBook):
    kind = "order"
    fulfilment_kind = "order_shipment"
    done = "shipped"
    label = "Order"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invoices: dict[int, Invoice] = {}
        self._invoice_numbers = itertools.count(1)

    def default_price(self, product: Product) -> Decimal:
        return product.sales_price

    def on_book(self, line: Line) -> None:
        self.catalog.change(line.product, line.location, "order booked", reserved=line.outstanding)

    def on_fulfil(self, line: Line, quantity: Decimal) -> None:
        self.catalog.change(line.product, line.location, "shipment", stock=-quantity, reserved=-quantity)

    def check_bookable(self, document: Document, problems: Problems) -> None:
        for index, line in enumerate(document.lines):
            if line.product.is_barred:
                problems.add(f"lines.{index}.item_id", f"Product '{line.product.number}' is barred.")

    def cancel(self, order: Document) -> Document:
        if order.is_cancelled:
            raise unprocessable("is_cancelled", "Order is already cancelled.")
        if any(f.document is order for f in self.fulfilments.values()):
            raise unprocessable("is_shipped", "Order has shipments and can no longer be cancelled.")
        if order.is_booked:
            for line in order.lines:
                self.catalog.change(line.product, line.location, "order cancelled", reserved=-line.outstanding)
        order.is_cancelled = True
        self.touch(order)
        self._announce(order, "updated", changed=["is_cancelled"])
        return order

    def convert_to_invoice(self, order: Document, *, book: bool = True) -> Invoice:
        if not order.is_booked or order.is_cancelled:
            raise unprocessable("is_booked", "Order must be booked first.")
        if order.extra.get("is_invoiced"):
            raise unprocessable("is_invoiced", "Order is already invoiced.")
        invoice = Invoice(next(self._invoice_numbers), order, book, self.stamps.next())
        self.invoices[invoice.number] = invoice
        order.extra["is_invoiced"] = True
        self.touch(order)
        self._announce(order, "updated", changed=["is_invoiced"])
        self.publish(Event("customer_invoice.created", invoice.number, "number", {"number": invoice.number}))
        return invoice

    def find_invoice(self, key: str) -> Invoice:
        try:
            return self.invoices[int(key)]
        except (KeyError, ValueError):
            raise not_found("Customer invoice") from None

    def to_dict(self, document: Document) -> dict[str, Any]:
        return super().to_dict(document) | {"is_invoiced": bool(document.extra.get("is_invoiced"))}

    def fulfilment_dict(self, fulfilment: Fulfilment) -> dict[str, Any]:
        return super().fulfilment_dict(fulfilment) | {
            "is_picked": fulfilment.is_done,
            "tracking_number": None,
        }

    def invoice_dict(self, invoice: Invoice) -> dict[str, Any]:
        order = invoice.order
        return {
            "id": invoice.number,
            "number": invoice.number,
            "order_number": order.number,
            "customer_id": order.party.number,
            "customer": order.party.ref(),
            "currency": order.header.get("currency"),
            "is_booked": invoice.is_booked,
            "lines": [self.line_dict(line) for line in order.lines],
            **document_totals(order.lines),
            "created_at": iso(invoice.created_at),
            "updated_at": iso(invoice.created_at),
        }
