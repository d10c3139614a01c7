"""Writing absolute quantities to one shop, in the largest batches its API takes.

Shopify: ``inventorySetQuantities`` with up to 250 quantities, all or nothing, at one location, with an
idempotency key derived from the batch. WooCommerce: ``products/batch`` for simple products and
``products/{parent}/variations/batch`` per parent for variations, up to 100 items each; an item can be
refused alone, and is reported back instead of failing the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.shopify.graphql import ShopifyUserErrors
from daemon.connectors.woocommerce.client import WooClient
from daemon.errors import TerminalError
from daemon.sync.stock.batching import SHOPIFY_BATCH, WOO_BATCH, chunks, idempotency_key
from daemon.sync.stock.links import Link


@dataclass(frozen=True)
class PushItem:
    link: Link
    quantity: int
    mark: int  # the dirty mark being served, part of the idempotency key


@dataclass(frozen=True)
class Refusal:
    sku: str
    reason: str


class ShopTarget(Protocol):
    def batches(self, items: Sequence[PushItem]) -> list[Sequence[PushItem]]:
        """``items`` cut into the calls the API allows (pure)."""

    async def push(self, batch: Sequence[PushItem]) -> list[Refusal]:
        """One call; raises when the whole call failed, returns the items refused alone."""


class ShopifyTarget:
    def __init__(self, shop_id: str, client: ShopifyClient, location_id: str | None = None) -> None:
        """``location_id``: the Shopify location stock is set at; None = the shop's first active one."""
        self._shop_id = shop_id
        self._client = client
        self._location_id = location_id

    def batches(self, items: Sequence[PushItem]) -> list[Sequence[PushItem]]:
        return list(chunks(items, SHOPIFY_BATCH))

    async def push(self, batch: Sequence[PushItem]) -> list[Refusal]:
        """All or nothing at Shopify; items it names in ``userErrors`` are refused and the rest sent again,
        so one unstocked item cannot hold up the other 249."""
        location = await self._location()
        quantities = [(item.link.item_id, location, item.quantity) for item in batch]
        key = idempotency_key(self._shop_id, quantities, [item.mark for item in batch])
        try:
            await self._client.set_inventory(quantities, idempotency_key=key, reason="correction")
        except ShopifyUserErrors as exc:
            named = refused_indices(exc.user_errors, len(batch))
            if not named:
                raise
            refusals = [Refusal(batch[i].link.sku, exc.reason) for i in sorted(named)]
            rest = [item for i, item in enumerate(batch) if i not in named]
            return refusals + (await self.push(rest) if rest else [])
        return []

    async def _location(self) -> str:
        if self._location_id is None:
            active = [loc for loc in await self._client.locations() if loc.get("isActive", True)]
            if not active:
                raise TerminalError(f"shop {self._shop_id} has no active location to hold stock", shop=self._shop_id)
            self._location_id = active[0]["id"]
        return self._location_id


class WooTarget:
    def __init__(self, shop_id: str, client: WooClient) -> None:
        self._shop_id = shop_id
        self._client = client

    def batches(self, items: Sequence[PushItem]) -> list[Sequence[PushItem]]:
        """Simple products together; variations grouped by parent, since one call reaches one parent."""
        by_parent: dict[str | None, list[PushItem]] = defaultdict(list)
        for item in items:
            by_parent[item.link.product_id].append(item)
        return [batch for group in by_parent.values() for batch in chunks(group, WOO_BATCH)]

    async def push(self, batch: Sequence[PushItem]) -> list[Refusal]:
        # manage_stock in the same request: Woo ignores stock_quantity on an item that does not manage stock.
        update = [{"id": int(item.link.item_id), "manage_stock": True, "stock_quantity": item.quantity} for item in batch]
        parent = batch[0].link.product_id
        if parent is None:
            result = await self._client.batch_products(update=update)
        else:
            result = await self._client.batch_variations(parent, update=update)
        sku_of = {int(item.link.item_id): item.link.sku for item in batch}
        return [
            Refusal(sku_of.get(_as_int(failure.id), str(failure.id)), f"[{failure.code}] {failure.message}")
            for failure in result.failures
        ]


def refused_indices(user_errors: Sequence[Mapping[str, Any]], size: int) -> set[int]:
    """Positions named by ``field: ["input", "quantities", "<i>", ...]``."""
    named = set()
    for error in user_errors:
        field = [str(part) for part in error.get("field") or []]
        if len(field) >= 3 and field[1] == "quantities" and field[2].isdigit() and int(field[2]) < size:
            named.add(int(field[2]))
    return named


def _as_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
