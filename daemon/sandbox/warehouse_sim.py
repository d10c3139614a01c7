"""The Ongoing warehouse's staff for the demo: they pick what the daemon sent them (all of it, or,
when stock is short or on a busy day, part of it), ship what is picked, pick and ship the rest later,
receive purchase orders (sometimes short) and now and then book a found or a damaged item. Each act
is logged as ``demo.warehouse.*`` with the numbers, so the daemon's ``ongoing.*`` lines that carry
it back to Rackbeat read as the second half of a story.

The staff work inside Ongoing, so they use the emulator's :class:`Warehouse` directly (as its
``/_sandbox`` routes do); the daemon sees only the result, through Ongoing's API. Orders and purchase
orders carry the numbers the daemon gave them (Rackbeat's). ``step()`` does one thing, always on the
oldest work of its kind; ``run()`` repeats it at ``rate_per_s``.
"""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal
from typing import Callable, Mapping

import structlog

from .ongoing.store import ZERO, Order, OrderLine, PurchaseOrderLine
from .ongoing.warehouse import Quantities
from .traffic import quantity_text
from .world import SandboxWorld

log = structlog.get_logger()

PARTIAL_PICK_SHARE = 0.3  # of orders that could be picked in full
SHORT_RECEIPT_SHARE = 0.3  # of purchase orders' first deliveries
ADJUSTMENT_SHARE = 0.04  # of steps
FOUND = (Decimal(1), {"code": "FOUND", "name": "Found"}, "found on the wrong shelf")
DAMAGED = (Decimal(-1), {"code": "DAMAGED", "name": "Damaged"}, "damaged in handling")


class WarehouseSimulator:
    """Works the Ongoing emulator of a ``world``; the same ``seed`` on the same orders acts the same."""

    def __init__(self, world: SandboxWorld, rate_per_s: float = 0.5, seed: int | None = None) -> None:
        self.rate_per_s = rate_per_s
        self.rng = random.Random(seed)
        self.store = world.ongoing.store
        self.warehouse = world.ongoing.warehouse

    async def run(self) -> None:
        """Until cancelled."""
        log.info("demo.warehouse.started", rate_per_s=self.rate_per_s)
        while True:
            self.step()
            await asyncio.sleep(1.0 / self.rate_per_s)

    def step(self) -> None:
        """Sometimes an adjustment; otherwise shipping, picking and receiving in a random order of
        preference, the first that finds work doing it (nothing when there is none)."""
        if self.rng.random() < ADJUSTMENT_SHARE:
            self.adjust()
            return
        acts: list[Callable[[], bool]] = [self.ship, self.pick, self.receive]
        for act in self.rng.sample(acts, len(acts)):
            if act():
                return

    def pick(self) -> bool:
        """Pick the oldest order with goods left to pick and on the shelf: what is at hand, and of a
        full order sometimes only a part. What is picked goes out before the rest is picked."""
        for order in self.store.orders.values():
            if order.status == self.store.order_statuses.cancelled or _picked_since_shipped(order):
                continue
            quantities = self._at_hand(order)
            if not quantities:
                continue
            if _is_all_left(order, quantities) and self.rng.random() < PARTIAL_PICK_SHARE:
                quantities = self._part(quantities)
            self.warehouse.pick(order.number, quantities)
            log.info(
                "demo.warehouse.picked",
                order=order.number,
                lines=_lines(order.lines, quantities),
                partly=any(line.unpicked for line in order.lines.values()),
            )
            return True
        return False

    def ship(self) -> bool:
        """Hand the oldest order with goods picked since its last shipment to the carrier."""
        for order in self.store.orders.values():
            items = _picked_since_shipped(order)
            if items:
                self.warehouse.ship(order.number)
                log.info(
                    "demo.warehouse.shipped",
                    order=order.number,
                    items=quantity_text(items),
                    waybill=order.tracking[-1]["waybill"],
                    rest_to_follow=any(line.unpicked for line in order.lines.values()),
                )
                return True
        return False

    def receive(self) -> bool:
        """Receive the oldest purchase order still expecting goods: all of it, or (sometimes, on its
        first delivery) short, the rest following later."""
        cancelled = self.store.purchase_order_statuses.cancelled
        for purchase_order in self.store.purchase_orders.values():
            lines = purchase_order.lines
            expected = {row: ln.advised - ln.received for row, ln in lines.items() if ln.advised > ln.received}
            if purchase_order.status == cancelled or not expected:
                continue
            first = not any(line.received for line in lines.values())
            if first and self.rng.random() < SHORT_RECEIPT_SHARE:
                expected = self._part(expected)
            self.warehouse.receive(purchase_order.number, expected)
            log.info(
                "demo.warehouse.received",
                purchase_order=purchase_order.number,
                lines=_lines(lines, expected),
                partly=any(line.received < line.advised for line in lines.values()),
            )
            return True
        return False

    def adjust(self) -> None:
        """Book one found or damaged item of a random article (found, when the shelf is empty)."""
        article = self.rng.choice(list(self.store.articles.values()))
        delta, cause, comment = self.rng.choice((FOUND, DAMAGED))
        if article.physical + delta < 0:
            delta, cause, comment = FOUND
        self.warehouse.adjust(article.number, delta, cause, comment)
        log.info(
            "demo.warehouse.adjusted",
            article=article.number,
            delta=f"{delta:+}",
            cause=cause["name"],
            in_stock=quantity_text(article.physical),
        )

    def _at_hand(self, order: Order) -> Quantities:
        """What is left to pick of each row, as far as the shelves (shared between rows) hold it."""
        shelf: dict[str, Decimal] = {}
        quantities = {}
        for row, line in order.lines.items():
            left = shelf.setdefault(line.article.number, line.article.physical)
            take = min(line.unpicked, left)
            shelf[line.article.number] = left - take
            if take:
                quantities[row] = take
        return quantities

    def _part(self, quantities: Quantities) -> Quantities:
        """The first items of ``quantities`` (rows in order): at least one, and at least one left out
        (all of them when there are fewer than two)."""
        total = sum(quantities.values(), ZERO)
        if total < 2:
            return quantities
        wanted = Decimal(self.rng.randint(1, int(total) - 1))
        part = {}
        for row, quantity in quantities.items():
            take = min(quantity, wanted)
            wanted -= take
            if take:
                part[row] = take
        return part


def _is_all_left(order: Order, quantities: Quantities) -> bool:
    return all(quantities.get(row, ZERO) == line.unpicked for row, line in order.lines.items())


def _picked_since_shipped(order: Order) -> Decimal:
    shipped = order.shipped_time
    return sum(
        (
            item.quantity
            for line in order.lines.values()
            for item in line.picked_items
            if shipped is None or item.time > shipped
        ),
        ZERO,
    )


def _lines(lines: Mapping[str, OrderLine | PurchaseOrderLine], quantities: Quantities) -> str:
    """``2 x P0003, 1 x P0007``."""
    return ", ".join(f"{quantity_text(quantity)} x {lines[row].article.number}" for row, quantity in quantities.items())
