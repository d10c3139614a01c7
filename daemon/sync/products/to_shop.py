"""Rackbeat → shop for shops whose product master is Rackbeat.

The product is read fresh from Rackbeat (webhook bodies and poll sightings may be stale); a deleted
or barred product turns the shop's into a draft. A Rackbeat state already pushed to this shop (the
poller seeing our own write, a repeated webhook) is skipped.
"""

from __future__ import annotations

from typing import Any, Mapping

from daemon.config.model import ShopConfig
from daemon.sync.products.echo import RACKBEAT, SHOP, EchoGuard
from daemon.sync.products.mapping import rackbeat_view, shop_fields, shop_view
from daemon.sync.products.model import Pricing
from daemon.sync.products.shop_writers import ShopWriter


class RackbeatToShop:
    def __init__(self, echo: EchoGuard, writers: Mapping[str, ShopWriter], shops: Mapping[str, ShopConfig]) -> None:
        self._echo = echo
        self._writers = writers
        self._shops = shops

    async def sync(self, shop_id: str, number: str, product: Mapping[str, Any] | None) -> None:
        view = rackbeat_view(number, product)
        if await self._echo.is_echo(shop_id, number, RACKBEAT, view):
            return
        writer = self._writers[shop_id]
        if product is None:
            await writer.draft(number)
        else:
            fields = shop_fields(product, Pricing.of(self._shops[shop_id].products))
            await writer.apply(fields)
            await self._echo.remember(shop_id, number, SHOP, shop_view(fields))
        await self._echo.remember(shop_id, number, RACKBEAT, view)
