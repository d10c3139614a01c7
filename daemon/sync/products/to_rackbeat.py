"""Shop → Rackbeat for shops whose product master is the shop: each variant is its own product.

A variant whose fields match what was last synced for its SKU is an echo (our own write, or a repeated
webhook) and costs no request; otherwise the Rackbeat product is created, or updated field by field.
"""

from __future__ import annotations

from typing import Sequence

import structlog

from daemon.config.model import ShopConfig
from daemon.sync.products.echo import SHOP, EchoGuard
from daemon.sync.products.mapping import rackbeat_changes, rackbeat_create_body, shop_view
from daemon.sync.products.model import Pricing, ShopVariant, sku_problem
from daemon.sync.products.rackbeat_products import RackbeatProducts

log = structlog.get_logger()
WEIGHT = "physical"  # the one field Rackbeat takes from a shop that the shop never gets back


class ShopToRackbeat:
    def __init__(self, products: RackbeatProducts, echo: EchoGuard) -> None:
        self._products = products
        self._echo = echo

    async def sync(self, shop: ShopConfig, variants: Sequence[ShopVariant]) -> None:
        for variant in variants:
            await self._one(shop, variant)

    async def _one(self, shop: ShopConfig, variant: ShopVariant) -> None:
        problem = sku_problem(variant.sku)
        if problem is not None:
            log.warning("product.skipped", shop=shop.id, sku=variant.sku, variant=variant.variant_id, reason=problem)
            return
        view = shop_view(variant)
        echo = await self._echo.is_echo(shop.id, variant.sku, SHOP, view)
        if echo and variant.weight_kg is None:
            log.debug("product.echo", shop=shop.id, sku=variant.sku)
            return
        pricing = Pricing.of(shop.products)
        rackbeat = self._products.rackbeat
        current = await rackbeat.get_product(variant.sku)
        if current is None:
            body = rackbeat_create_body(variant, pricing, shop.products.product_group)
            if await self._products.create(body, shop_id=shop.id) is None:
                current = await rackbeat.get_product(variant.sku)  # created meanwhile by someone else
            await self._products.release([variant.sku])
        if current is not None:
            changes = rackbeat_changes(current, variant, pricing)
            if echo:  # our own fields came back: only the weight can be news
                changes = {key: value for key, value in changes.items() if key == WEIGHT}
            if changes:
                await self._products.update(variant.sku, changes, shop_id=shop.id)
        await self._echo.remember(shop.id, variant.sku, SHOP, view)
