"""``inventoryInfo`` of an article, derived from physical stock and the open orders and purchase orders.

Deriving instead of keeping counters keeps the figures consistent under every workflow step:
- numberOfItems: physical stock (receipts and adjustments add, picks remove);
- numberOfBookedItems: ordered but not yet picked, on orders not cancelled;
- allocatedNumberOfItems: the booked part of orders at or past the allocated status;
- sellableNumberOfItems: physical minus booked (may go negative);
- pickedToBeCollectedNumberOfItems: picked on orders not yet collected;
- toReceiveNumberOfItems: advised but not yet received on purchase orders not finished or cancelled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .store import ZERO, Article, Store


def inventory_info(store: Store, article: Article) -> dict[str, Any]:
    ostat, pstat = store.order_statuses, store.purchase_order_statuses
    booked = allocated = picked_waiting = to_receive = ZERO
    for order in store.orders.values():
        if order.status == ostat.cancelled:
            continue
        for line in order.lines.values():
            if line.article is not article:
                continue
            booked += line.unpicked
            if order.status >= ostat.allocated:
                allocated += line.unpicked
            if order.status < ostat.collected:
                picked_waiting += line.picked
    for purchase_order in store.purchase_orders.values():
        if purchase_order.status >= pstat.received:
            continue
        for po_line in purchase_order.lines.values():
            if po_line.article is article:
                to_receive += max(po_line.advised - po_line.received, ZERO)
    return {
        "numberOfItems": article.physical,
        "sellableNumberOfItems": article.physical - booked,
        "numberOfBookedItems": booked,
        "allocatedNumberOfItems": allocated,
        "numberOfLockedItems": ZERO,
        "lockedForSaleNumberOfItems": ZERO,
        "pickedToBeCollectedNumberOfItems": picked_waiting,
        "toReceiveNumberOfItems": to_receive,
        "receivedToBeFinishedNumberOfItems": ZERO,
        "totalStockValue": article.physical * _price(article.fields.get("stockValuationPrice")),
    }


def _price(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO
