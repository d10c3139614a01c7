"""A steady stream of business for the demo: customers order, pay late or cancel, the back office
counts and receives stock, ships what the daemon transferred (except what the 3PL ships) and buys
goods for the 3PL — each step logged as ``demo.*`` so the daemon's log around it reads as a story.

Everything goes through the emulators' HTTP routes, never their internals, exactly as the outside
world would reach them. ``step()`` does one thing; ``run()`` repeats it at ``rate_per_s``.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from decimal import Decimal
from typing import Awaitable, Callable

import aiohttp
import structlog

from .credentials import RACKBEAT, SHOPIFY_SHOPS, WOO_SITES
from .rackbeat_desk import DeskError, RackbeatDesk
from .storefronts import (
    Basket,
    Customer,
    Discount,
    PlacedOrder,
    Shipping,
    ShopifyStorefront,
    Storefront,
    StorefrontError,
    WooStorefront,
)
from .world import ONGOING_LOCATION, UNKNOWN_SKU, SandboxWorld

log = structlog.get_logger()

CUSTOMERS = (
    Customer("Mette", "Hansen", "mette.hansen@example.dk", "København K", "1050"),
    Customer("Lars", "Nielsen", "lars.nielsen@example.dk", "Aarhus C", "8000"),
    Customer("Sofie", "Jensen", "sofie@jensen.example", "Odense C", "5000"),
    Customer("Anders", "Pedersen", "anders.p@example.dk", "Aalborg", "9000"),
    Customer("Freja", "Larsen", "freja.larsen@example.dk", "Roskilde", "4000"),
    Customer("Guest", "Shopper", None, "Esbjerg", "6700"),  # no email: goes to the default customer
)
DISCOUNTS = (
    Discount("WELCOME10", percent=Decimal(10)),
    Discount("SUMMER15", percent=Decimal(15)),
    Discount("FIXED50", amount=Decimal(50)),
)
SHIPPING = (Shipping("PostNord", Decimal("49.00")), Shipping("GLS Pakkeshop", Decimal("39.00")))

PAID_SHARE = 0.75  # the rest pay later (Shopify pending, WooCommerce bank transfer on-hold)
DISCOUNT_SHARE = 0.2
SHIPPING_SHARE = 0.85
UNKNOWN_SKU_SHARE = 0.05
PARTIAL_SHIPMENT_SHARE = 0.3
RECEIPT_SHARE = 0.6  # of stock changes; the rest are counts that find a few items missing
STOCK_LOCATION = 1  # Rackbeat's main location
SUPPLIERS = (1, 2)  # the Rackbeat seed's
RECENT_ORDERS = 20  # candidates for a cancel


class TrafficGenerator:
    """Drives a started ``world`` over ``session``; the same ``seed`` tells the same story."""

    def __init__(
        self, world: SandboxWorld, session: aiohttp.ClientSession, rate_per_s: float = 0.5, seed: int | None = None
    ) -> None:
        self.rate_per_s = rate_per_s
        self.rng = random.Random(seed)
        self.skus = list(world.skus)
        self.storefronts: list[Storefront] = [
            *(ShopifyStorefront(session, world.base_urls["shopify"], shop.id) for shop in SHOPIFY_SHOPS),
            *(WooStorefront(session, world.base_urls["woocommerce"], site.id) for site in WOO_SITES),
        ]
        self.desk = RackbeatDesk(session, world.base_urls["rackbeat"], RACKBEAT.token, ONGOING_LOCATION)
        self.unpaid: deque[PlacedOrder] = deque()
        self.recent: deque[PlacedOrder] = deque(maxlen=RECENT_ORDERS)
        # (weight, action); an action that finds nothing to do returns False and an order is placed instead
        self.actions: list[tuple[int, Callable[[], Awaitable[bool]]]] = [
            (50, self.place_order),
            (15, self.change_stock),
            (15, self.ship_order),
            (12, self.pay_order),
            (3, self.cancel_order),
            (5, self.buy_goods),
        ]

    async def run(self) -> None:
        """Until cancelled; a refused step is logged and the stream goes on."""
        log.info("demo.traffic.started", rate_per_s=self.rate_per_s, shops=[s.shop_id for s in self.storefronts])
        while True:
            await self.step()
            await asyncio.sleep(1.0 / self.rate_per_s)

    async def step(self) -> None:
        weights, actions = zip(*self.actions)
        action = self.rng.choices(actions, weights)[0]
        try:
            if not await action():
                await self.place_order()
        except (StorefrontError, DeskError, aiohttp.ClientError) as exc:
            log.warning("demo.step_failed", action=action.__name__, error=str(exc))

    # -- customers -----------------------------------------------------------------------------

    async def place_order(self) -> bool:
        storefront = self.rng.choice(self.storefronts)
        basket = self._basket()
        order = await storefront.place(basket)
        self.recent.append(order)
        if not basket.paid:
            self.unpaid.append(order)
        log.info(
            "demo.order.placed",
            shop=order.shop_id,
            order=order.label,
            lines=", ".join(f"{quantity} x {sku}" for sku, quantity in basket.lines),
            total=order.total,
            paid=basket.paid,
            customer=basket.customer.email or "guest without email",
            **({"discount": basket.discount.code} if basket.discount else {}),
            **({"shipping": basket.shipping.title} if basket.shipping else {}),
            **({"note": f"{UNKNOWN_SKU} is not a Rackbeat product"} if _has_unknown(basket) else {}),
        )
        return True

    def _basket(self) -> Basket:
        rng = self.rng
        skus = rng.sample(self.skus, rng.randint(1, 3))
        if rng.random() < UNKNOWN_SKU_SHARE:
            skus.append(UNKNOWN_SKU)
        return Basket(
            lines=[(sku, rng.choice((1, 1, 1, 2, 3))) for sku in skus],
            customer=rng.choice(CUSTOMERS),
            paid=rng.random() < PAID_SHARE,
            discount=rng.choice(DISCOUNTS) if rng.random() < DISCOUNT_SHARE else None,
            shipping=rng.choice(SHIPPING) if rng.random() < SHIPPING_SHARE else None,
        )

    async def pay_order(self) -> bool:
        if not self.unpaid:
            return False
        order = self.unpaid.popleft()
        await order.storefront.pay(order)
        log.info("demo.order.paid", shop=order.shop_id, order=order.label)
        return True

    async def cancel_order(self) -> bool:
        if not self.recent:
            return False
        order = self.recent.pop()
        if order in self.unpaid:
            self.unpaid.remove(order)
        await order.storefront.cancel(order)
        log.info("demo.order.cancelled", shop=order.shop_id, order=order.label)
        return True

    # -- the back office -----------------------------------------------------------------------

    async def change_stock(self) -> bool:
        """Mostly goods received; sometimes a count finds a few missing."""
        sku = self.rng.choice(self.skus)
        received = self.rng.random() < RECEIPT_SHARE
        delta = self.rng.randint(10, 40) if received else -self.rng.randint(1, 3)
        stock = await self.desk.change_stock(sku, delta, STOCK_LOCATION)
        reason = "goods received" if received else "stock count"
        log.info("demo.stock.changed", sku=sku, delta=f"{delta:+d}", reason=reason, in_stock=quantity_text(stock))
        return True

    async def ship_order(self) -> bool:
        """Ship the oldest open Rackbeat order off the 3PL: all of it, or (sometimes) part of its first line."""
        orders = await self.desk.open_orders()
        goods = [(order, self._open_goods(order)) for order in orders]
        goods = [(order, lines) for order, lines in goods if lines]
        if not goods:
            return False
        order, lines = goods[0]
        partial = self.rng.random() < PARTIAL_SHIPMENT_SHARE and _splittable(lines)
        picked = [{"line_id": lines[0]["id"], "quantity": 1}] if partial else None
        shipment = await self.desk.ship(order["number"], picked)
        log.info(
            "demo.order.shipped",
            rackbeat_order=order["number"],
            lines=", ".join(f"{quantity_text(p['quantity'])} x {p['item']['number']}" for p in shipment["lines"]),
            partly=partial,
        )
        return True

    async def buy_goods(self) -> bool:
        """A purchase order for the 3PL warehouse: the daemon sends it there, and its receipt comes back."""
        skus = self.rng.sample(self.skus, self.rng.randint(1, 3))
        lines = [(sku, self.rng.randint(5, 20)) for sku in skus]
        purchase_order = await self.desk.purchase(self.rng.choice(SUPPLIERS), lines)
        log.info(
            "demo.purchase_order.placed",
            rackbeat_purchase_order=purchase_order["number"],
            supplier=purchase_order["supplier"]["number"],
            lines=", ".join(f"{quantity} x {sku}" for sku, quantity in lines),
            location=ONGOING_LOCATION,
        )
        return True

    def _open_goods(self, order: dict) -> list[dict]:
        """Lines of stocked products still to ship; service lines (shipping, discount) just go along."""
        return [line for line in order["lines"] if line["item"]["number"] in self.skus and _outstanding(line) > 0]


def _has_unknown(basket: Basket) -> bool:
    return any(sku == UNKNOWN_SKU for sku, _ in basket.lines)


def quantity_text(value: object) -> str:
    """``97.0`` -> ``97``, ``1.5`` stays ``1.5`` (and never ``1E+2``)."""
    return format(Decimal(str(value)).normalize(), "f")


def _outstanding(line: dict) -> Decimal:
    return Decimal(str(line["quantity"])) - Decimal(str(line["shipped_quantity"]))


def _splittable(lines: list[dict]) -> bool:
    """A partial shipment leaves something behind: more than one line, or more than one of the first."""
    return len(lines) > 1 or _outstanding(lines[0]) > 1
