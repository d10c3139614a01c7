"""Inventory adjustments as the goods owner reads them: grouped per article, marked reported one
(inventoryId, articleSystemId) pair at a time.

[inferred] ``isReported=false`` lists only adjustments not yet marked reported, ``isReported=true``
only those already marked, and no ``isReported`` lists both.
"""

from __future__ import annotations

from typing import Any, Iterable

from .errors import not_found
from .query import Query
from .store import WAREHOUSE, Adjustment, Article, Store
from .times import iso


def select(store: Store, query: Query) -> list[Adjustment]:
    query.goods_owner(store.goods_owner_id)
    start, end = query.instant("from"), query.instant("toTime")
    reported = query.flag("isReported")
    query.problems.raise_if_any()
    return [
        adjustment
        for adjustment in store.adjustments
        if (start is None or adjustment.time >= start)
        and (end is None or adjustment.time <= end)
        and (reported is None or adjustment.reported == reported)
    ]


def of_inventory(store: Store, inventory_id: int) -> list[Adjustment]:
    found = [adjustment for adjustment in store.adjustments if adjustment.inventory_id == inventory_id]
    if not found:
        raise not_found("Inventory", inventory_id)
    return found


def grouped(adjustments: Iterable[Adjustment]) -> list[dict[str, Any]]:
    """``[{article, inventoryAdjustments: [...]}]``, articles by articleSystemId, lines by time."""
    groups: dict[int, tuple[Article, list[Adjustment]]] = {}
    for adjustment in adjustments:
        groups.setdefault(adjustment.article.id, (adjustment.article, []))[1].append(adjustment)
    return [
        {"article": article.ref(), "inventoryAdjustments": [_line(a) for a in sorted(items, key=lambda a: a.time)]}
        for _, (article, items) in sorted(groups.items())
    ]


def _line(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "inventoryId": adjustment.inventory_id,
        "numberOfItems": adjustment.quantity,
        "inventoryTime": iso(adjustment.time),
        "articleItemComment": None,
        "inventoryItemComment": adjustment.comment,
        "inventoryAdjustmentCause": adjustment.cause,
        "location": "A-01-01",
        "batchNumber": None,
        "serial": None,
        "articleItemStatus": None,
        "expiryDate": None,
        "warehouse": WAREHOUSE,
    }


def set_reported(store: Store, inventory_id: int, article_id: int) -> dict[str, Any]:
    found = [a for a in of_inventory(store, inventory_id) if a.article.id == article_id]
    if not found:
        raise not_found(f"Article {article_id} in inventory", inventory_id)
    for adjustment in found:
        adjustment.reported = True
    return {
        "message": f"Inventory {inventory_id} article {article_id} set as reported.",
        "items": [{"inventoryArticleItemId": a.item_id, "articleItemId": a.item_id} for a in found],
    }
