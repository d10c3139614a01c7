"""Sales and purchase documents as data: header, lines, and fulfilments (shipments / receipts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .catalog import Location, Product
from .money import ZERO
from .parties import Party

ADDRESS_PARTS = ("name", "street", "street2", "state", "city", "zipcode", "country", "email", "phone")
HEADER_TEXT = (
    "currency",
    "other_reference",
    "heading",
    "note",
    "order_date",
    "deliver_at",
    "delivery_terms",
    "payment_terms",
    "vat_zone",
    "your_reference",
    "barcode",
    *(f"address_{part}" for part in ADDRESS_PARTS),
    *(f"delivery_address_{part}" for part in ADDRESS_PARTS),
)
HEADER_INT = ("payment_terms_id", "layout_id", "employee_id", "our_reference_id", "your_reference_id")


@dataclass(eq=False)
class Line:
    id: int
    product: Product
    name: str
    quantity: Decimal
    line_price: Decimal
    discount_percentage: Decimal
    vat_percentage: Decimal
    location: Location
    done: Decimal = ZERO  # shipped (sales) or received (purchasing)

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.done


@dataclass(eq=False)
class Document:
    id: int
    number: int
    party: Party
    lines: list[Line]
    header: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    is_booked: bool = False
    booked_at: datetime | None = None
    is_cancelled: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # per-kind state (e.g. is_invoiced), shown by subclasses

    @property
    def is_done(self) -> bool:
        return bool(self.lines) and all(line.outstanding <= 0 for line in self.lines)

    @property
    def is_partly_done(self) -> bool:
        return not self.is_done and any(line.done > 0 for line in self.lines)


@dataclass(eq=False)
class FulfilmentLine:
    id: int
    line: Line
    quantity: Decimal


@dataclass(eq=False)
class Fulfilment:
    id: int
    document: Document
    lines: list[FulfilmentLine]
    created_at: datetime
    updated_at: datetime
    is_done: bool = False
    done_at: datetime | None = None
