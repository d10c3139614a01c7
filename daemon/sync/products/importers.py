"""What the initial sync does with one variant, for real or as a dry run (which writes nothing)."""

from __future__ import annotations

from typing import Iterable, Protocol

from daemon.connectors.rackbeat import RackbeatClient
from daemon.errors import TerminalError
from daemon.sync.products.mapping import rackbeat_create_body
from daemon.sync.products.model import Pricing, ShopVariant
from daemon.sync.products.rackbeat_products import RackbeatProducts
from daemon.sync.products.stock_import import ADJUSTED, SKIPPED, StockImport

CREATING, CREATED, LINKED = "creating", "created", "linked"
Outcome = tuple[str, str | None]  # (outcome, reason when skipped)


class Importer(Protocol):
    async def product(self, variant: ShopVariant, prior: str | None) -> Outcome:
        """``prior``: the variant's mark from an interrupted run (``creating``) or None."""

    async def stock(self, variant: ShopVariant) -> Outcome: ...

    async def settle(self, numbers: Iterable[str]) -> None:
        """After a page: these products now exist in Rackbeat."""


class LiveImport:
    """Link an existing Rackbeat product by number, else create it; Rackbeat's unique number is the
    guard, and a ``creating`` mark tells a product we created before a crash from one found there."""

    def __init__(
        self, products: RackbeatProducts, shop_id: str, pricing: Pricing, group: int, stock: StockImport | None
    ) -> None:
        self._products = products
        self._shop_id = shop_id
        self._pricing = pricing
        self._group = group
        self._stock = stock

    async def product(self, variant: ShopVariant, prior: str | None) -> Outcome:
        body = rackbeat_create_body(variant, self._pricing, self._group)
        try:
            created = await self._products.create(body, shop_id=self._shop_id)
        except TerminalError as exc:
            return SKIPPED, f"Rackbeat refused it: {exc.reason}"
        return (CREATED if created is not None or prior == CREATING else LINKED), None

    async def stock(self, variant: ShopVariant) -> Outcome:
        if self._stock is None:
            raise RuntimeError("stock import not configured")
        return await self._stock.apply(variant)

    async def settle(self, numbers: Iterable[str]) -> None:
        await self._products.release(numbers)


class DryImport:
    """Say what a live run would do: one read per variant, no writes anywhere."""

    def __init__(self, rackbeat: RackbeatClient) -> None:
        self._rackbeat = rackbeat

    async def product(self, variant: ShopVariant, prior: str | None) -> Outcome:
        return (LINKED if await self._rackbeat.get_product(variant.sku) is not None else CREATED), None

    async def stock(self, variant: ShopVariant) -> Outcome:
        if variant.stock is None:
            return SKIPPED, "the shop does not track this variant's stock"
        return ADJUSTED, None

    async def settle(self, numbers: Iterable[str]) -> None:
        return None
