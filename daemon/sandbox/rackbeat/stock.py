"""Per-location quantities of every stocked product.

Three numbers per (product number, location number): on hand, reserved by booked sales orders not yet
shipped, and incoming on booked purchase orders not yet received. ``available = on hand - reserved``
[inferred: the notes leave "+ incoming" open; we keep available strictly physical].
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from .money import ZERO

Slot = tuple[str, int]


class Quantities(NamedTuple):
    stock: Decimal
    reserved: Decimal
    incoming: Decimal

    @property
    def available(self) -> Decimal:
        return self.stock - self.reserved


class StockLedger:
    """Plain bookkeeping; the catalog decides which products are stocked and announces changes."""

    def __init__(self) -> None:
        self.on_hand: dict[Slot, Decimal] = defaultdict(lambda: ZERO)
        self.reserved: dict[Slot, Decimal] = defaultdict(lambda: ZERO)
        self.incoming: dict[Slot, Decimal] = defaultdict(lambda: ZERO)

    def at(self, item: str, location: int) -> Quantities:
        slot = (item, location)
        return Quantities(*(book.get(slot, ZERO) for book in (self.on_hand, self.reserved, self.incoming)))

    def total(self, item: str, locations: list[int]) -> Quantities:
        per = [self.at(item, loc) for loc in locations]
        return Quantities(*(sum((q[i] for q in per), ZERO) for i in range(3)))

    def is_committed(self, item: str) -> bool:
        """Whether open orders still reserve or expect this item (then it must not be deleted)."""
        books = (self.reserved, self.incoming)
        return any(qty and slot[0] == item for book in books for slot, qty in book.items())

    def forget(self, item: str) -> None:
        for book in (self.on_hand, self.reserved, self.incoming):
            for slot in [s for s in book if s[0] == item]:
                del book[slot]
