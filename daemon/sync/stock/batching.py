"""Cutting pushes to each API's batch limit, and the Shopify idempotency key of a batch. Pure: no I/O."""

from __future__ import annotations

import hashlib
import uuid
from typing import Iterator, Sequence, TypeVar

T = TypeVar("T")

SHOPIFY_BATCH = 250  # inventorySetQuantities: Shopify's cap on every input array
WOO_BATCH = 100  # products/batch and variations/batch: create + update + delete together


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def idempotency_key(shop_id: str, quantities: Sequence[tuple[str, str, int]], marks: Sequence[int]) -> str:
    """Derived from the batch and the dirty marks it clears, so a retry of the same change reuses the key,
    while a later change back to the same values (new marks) gets a new one. A UUID, as Shopify expects."""
    rows = sorted(f"{item}|{location}|{qty}" for item, location, qty in quantities)
    text = "\n".join([shop_id, *rows, ",".join(map(str, sorted(marks)))])
    return str(uuid.UUID(bytes=hashlib.sha256(text.encode()).digest()[:16], version=5))
