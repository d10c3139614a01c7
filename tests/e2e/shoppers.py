"""Seeded customers placing orders in every shop of the sandbox, through the storefronts' control routes.

Every order is paid and holds only SKUs Rackbeat knows, so every one of them must reach Rackbeat;
discounts and shipping vary as in the demo's traffic, so the totals are worth comparing.
"""

from __future__ import annotations

import asyncio
import random

import aiohttp

from daemon.sandbox.credentials import SHOPIFY_SHOPS, WOO_SITES
from daemon.sandbox.storefronts import Basket, PlacedOrder, ShopifyStorefront, Storefront, WooStorefront
from daemon.sandbox.traffic import CUSTOMERS, DISCOUNTS, DISCOUNT_SHARE, SHIPPING, SHIPPING_SHARE
from daemon.sandbox.world import SandboxWorld


class Shoppers:
    def __init__(self, world: SandboxWorld, session: aiohttp.ClientSession, seed: int) -> None:
        self.rng = random.Random(seed)
        self.skus = list(world.skus)
        self.storefronts: list[Storefront] = [
            *(ShopifyStorefront(session, world.base_urls["shopify"], shop.id) for shop in SHOPIFY_SHOPS),
            *(WooStorefront(session, world.base_urls["woocommerce"], site.id) for site in WOO_SITES),
        ]
        self.placed: list[PlacedOrder] = []

    def basket(self) -> Basket:
        rng = self.rng
        return Basket(
            lines=[(sku, rng.choice((1, 1, 2, 3))) for sku in rng.sample(self.skus, rng.randint(1, 3))],
            customer=rng.choice(CUSTOMERS),
            paid=True,
            discount=rng.choice(DISCOUNTS) if rng.random() < DISCOUNT_SHARE else None,
            shipping=rng.choice(SHIPPING) if rng.random() < SHIPPING_SHARE else None,
        )

    async def place(self, count: int, *, per_second: float | None = None, concurrency: int = 8) -> list[PlacedOrder]:
        """Place ``count`` orders (shops and baskets drawn in a fixed order), at most ``per_second`` a second.

        Each order is added to ``placed`` as soon as the shop has it, so a test can act part-way through.
        """
        plan = [(self.rng.choice(self.storefronts), self.basket()) for _ in range(count)]
        slots = asyncio.Semaphore(concurrency)

        async def one(storefront: Storefront, basket: Basket) -> PlacedOrder:
            async with slots:
                order = await storefront.place(basket)
            self.placed.append(order)
            return order

        tasks = []
        for storefront, basket in plan:
            tasks.append(asyncio.create_task(one(storefront, basket)))
            if per_second:
                await asyncio.sleep(1.0 / per_second)
        return list(await asyncio.gather(*tasks))
