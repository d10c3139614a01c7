"""Shoppers and merchants at work in the emulated shops, through their ``/_sandbox`` control routes.

A :class:`Basket` says what a customer buys in platform-neutral terms; each storefront turns it into
its platform's checkout (Shopify: tax lines and a discount code; WooCommerce: tax rates, a coupon and
an order status) and knows how that platform pays and cancels an order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import aiohttp

VAT_RATE = Decimal("0.25")  # Danish moms on goods and shipping


@dataclass(frozen=True)
class Customer:
    first_name: str
    last_name: str
    email: str | None  # None: a guest checkout without an email (the daemon's default customer)
    city: str
    zip: str


@dataclass(frozen=True)
class Discount:
    code: str
    percent: Decimal | None = None  # either a percentage of the goods...
    amount: Decimal | None = None  # ...or a fixed amount off the order


@dataclass(frozen=True)
class Shipping:
    title: str
    price: Decimal


@dataclass(frozen=True)
class Basket:
    lines: list[tuple[str, int]]  # (sku, quantity)
    customer: Customer
    paid: bool
    discount: Discount | None = None
    shipping: Shipping | None = None


@dataclass(frozen=True)
class PlacedOrder:
    shop_id: str
    order_id: int
    label: str  # what the merchant calls it: "#1001" in Shopify, "123" in WooCommerce
    total: str
    storefront: "Storefront" = field(repr=False, compare=False)


class StorefrontError(RuntimeError):
    """The emulator refused a control request."""


class Storefront:
    """One shop's control routes: ``{base_url}/_sandbox/{shop_id}/...``."""

    kind = ""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, shop_id: str) -> None:
        self.session = session
        self.shop_id = shop_id
        self.control_url = f"{base_url}/_sandbox/{shop_id}"

    async def place(self, basket: Basket) -> PlacedOrder:
        raise NotImplementedError

    async def pay(self, order: PlacedOrder) -> None:
        raise NotImplementedError

    async def cancel(self, order: PlacedOrder) -> None:
        raise NotImplementedError

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.session.post(f"{self.control_url}/{path}", json=body) as response:
            answer = await response.json(content_type=None)
            if response.status >= 300:
                raise StorefrontError(f"{self.shop_id} {path}: HTTP {response.status}: {answer}")
            return answer


class ShopifyStorefront(Storefront):
    kind = "shopify"

    async def place(self, basket: Basket) -> PlacedOrder:
        customer = basket.customer
        address = {"first_name": customer.first_name, "last_name": customer.last_name, "address1": "Vestergade 1",
                   "city": customer.city, "zip": customer.zip, "country": "Denmark", "country_code": "DK"}
        body: dict[str, Any] = {
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in basket.lines],
            "tax_lines": [{"title": "Moms", "rate": str(VAT_RATE)}],
            "shipping_address": address,
            "financial_status": "paid" if basket.paid else "pending",
        }
        if customer.email:
            body["customer"] = {
                "email": customer.email, "first_name": customer.first_name, "last_name": customer.last_name
            }
        if basket.discount:
            discount = basket.discount
            body["discount"] = (
                {"code": discount.code, "type": "percentage", "value": str(discount.percent)}
                if discount.percent is not None
                else {"code": discount.code, "type": "fixed_amount", "value": str(discount.amount)}
            )
        if basket.shipping:
            body["shipping"] = {"title": basket.shipping.title, "price": str(basket.shipping.price)}
        order = (await self._post("orders", body))["order"]
        return PlacedOrder(self.shop_id, order["id"], order["name"], order["total_price"], self)

    async def pay(self, order: PlacedOrder) -> None:
        await self._post(f"orders/{order.order_id}/pay", {})

    async def cancel(self, order: PlacedOrder) -> None:
        await self._post(f"orders/{order.order_id}/cancel", {"reason": "customer"})


class WooStorefront(Storefront):
    """Unpaid orders are bank transfers left ``on-hold`` until the money arrives (then ``processing``)."""

    kind = "woocommerce"

    async def place(self, basket: Basket) -> PlacedOrder:
        customer = basket.customer
        address = {"first_name": customer.first_name, "last_name": customer.last_name, "address_1": "Vestergade 1",
                   "city": customer.city, "postcode": customer.zip, "country": "DK"}
        vat_percent = str(VAT_RATE * 100)
        body: dict[str, Any] = {
            "lines": [{"sku": sku, "quantity": quantity, "tax_rate": vat_percent} for sku, quantity in basket.lines],
            "billing": {**address, "email": customer.email or ""},
            "shipping": address,
            "status": "processing" if basket.paid else "on-hold",
            "payment_method": "stripe" if basket.paid else "bacs",
        }
        if basket.discount:
            discount = basket.discount
            body["coupons"] = [
                {"code": discount.code, "discount_type": "percent", "amount": str(discount.percent)}
                if discount.percent is not None
                else {"code": discount.code, "discount_type": "fixed_cart", "amount": str(discount.amount)}
            ]
        if basket.shipping:
            body["shipping_line"] = {"method_title": basket.shipping.title, "method_id": "flat_rate",
                                     "total": str(basket.shipping.price), "tax_rate": vat_percent}
        order = await self._post("orders", body)
        return PlacedOrder(self.shop_id, order["id"], str(order["number"]), order["total"], self)

    async def pay(self, order: PlacedOrder) -> None:
        await self._post(f"orders/{order.order_id}/status", {"status": "processing"})

    async def cancel(self, order: PlacedOrder) -> None:
        await self._post(f"orders/{order.order_id}/status", {"status": "cancelled"})
