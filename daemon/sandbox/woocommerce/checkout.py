"""Turning a shopper's request into an order the way the classic checkout does: the cart is priced with
``totals.calculate`` and the results are copied onto order items in WooCommerce's creation order
(line items, shipping lines, tax lines, coupon lines; all from one order-item id sequence).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import now_utc
from .models import CouponLine, LineItem, Order, Product, ShippingLine, TaxLine
from .products import ProductService
from .store import SiteStore
from .totals import CartLine, CartResult, CouponSpec, TaxRate, calculate
from .wire import RestError, invalid_params

BILLING_FIELDS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
                  "country", "email", "phone")
SHIPPING_FIELDS = tuple(f for f in BILLING_FIELDS if f != "email")
COUPON_TYPES = ("percent", "fixed_cart")


def money(value: Any, name: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise invalid_params({name: f"{name} is not a valid number."}) from None


def address(fields: tuple[str, ...], given: dict[str, Any] | None, base: dict[str, str] | None = None) -> dict[str, str]:
    """An address with every field present (WooCommerce answers empty strings, not missing keys)."""
    result = dict(base) if base else {name: "" for name in fields}
    for name, value in (given or {}).items():
        if name in fields:
            result[name] = str(value)
    return result


@dataclass
class _Purchase:
    product: Product  # the product, or the variation's parent
    variation: Product | None
    line: CartLine

    @property
    def bought(self) -> Product:
        return self.variation or self.product


class Checkout:
    def __init__(self, store: SiteStore, products: ProductService, *, currency: str, prices_include_tax: bool) -> None:
        self.store = store
        self.products = products
        self.currency = currency
        self.prices_include_tax = prices_include_tax

    def build(self, body: dict[str, Any], status: str) -> Order:
        """The new, unsaved order for ``body`` (see ``control.place_order`` for its shape)."""
        if not body.get("lines"):
            raise invalid_params({"lines": "lines must contain at least one item."})
        purchases = [self._purchase(index, raw) for index, raw in enumerate(body["lines"])]
        if not body.get("ignore_stock"):
            for purchase in purchases:
                self._check_stock(purchase)
        coupons = [self._coupon(raw) for raw in body.get("coupons", [])]
        shipping = body.get("shipping_line")
        shipping_total = money(shipping.get("total", "0"), "shipping_line.total") if shipping else Decimal(0)
        shipping_rates = self._rates(shipping.get("tax_rate")) if shipping else []
        result = calculate([p.line for p in purchases], coupons, shipping_total, shipping_rates,
                           self.prices_include_tax)

        order_id = self.store.next_post_id()
        now = now_utc()
        return Order(
            id=order_id,
            status=status,
            currency=self.currency,
            prices_include_tax=self.prices_include_tax,
            date_created=now,
            date_modified=now,
            order_key="wc_order_" + hashlib.sha1(f"order-{order_id}".encode()).hexdigest()[:13],
            billing=address(BILLING_FIELDS, body.get("billing")),
            shipping=address(SHIPPING_FIELDS, body.get("shipping")),
            line_items=[self._line_item(p, result) for p in purchases],
            shipping_lines=[self._shipping_line(shipping, shipping_total, result)] if shipping else [],
            tax_lines=self._tax_lines(result),
            coupon_lines=[self._coupon_line(c, result) for c in coupons],
            discount_total=result.discount_total,
            discount_tax=result.discount_tax,
            shipping_total=shipping_total,
            shipping_tax=sum(result.shipping_taxes.values(), Decimal(0)),
            cart_tax=sum(result.item_taxes.values(), Decimal(0)),
            total=result.total,
            customer_id=int(body.get("customer_id", 0)),
            customer_note=str(body.get("customer_note", "")),
            payment_method=str(body.get("payment_method", "")),
            payment_method_title=str(body.get("payment_method_title", "")),
        )

    # ---- request -----------------------------------------------------------------------------

    def _purchase(self, index: int, raw: dict[str, Any]) -> _Purchase:
        """Lines name a SKU; the price is the product's current ``price`` (sale price when set)."""
        sku = str(raw.get("sku", ""))
        bought = next((p for p in self.store.live_products() if sku and p.sku == sku), None)
        if bought is None:
            raise invalid_params({f"lines[{index}].sku": f"No product with SKU {sku!r}."})
        parent = self.products.parent_of(bought)
        line = CartLine(
            key=index,
            quantity=int(raw.get("quantity", 1)),
            unit_price=money(bought.price or "0", f"lines[{index}].price"),
            rates=self._rates(raw.get("tax_rate")),
        )
        return _Purchase(product=parent or bought, variation=bought if parent else None, line=line)

    def _check_stock(self, purchase: _Purchase) -> None:
        """The cart refuses more than the managed stock unless backorders are allowed;
        ``ignore_stock`` in the request skips this to simulate an oversell race."""
        owner = self.products.stock_owner(purchase.bought)
        if owner is None or owner.backorders != "no" or purchase.line.quantity <= (owner.stock_quantity or 0):
            return
        raise RestError(
            "woocommerce_rest_not_enough_stock",
            f'Sorry, we do not have enough "{purchase.bought.name}" in stock to fulfill your order '
            f"({owner.stock_quantity or 0} available). We apologize for any inconvenience caused.",
            400,
        )

    def _rates(self, percent: Any) -> list[TaxRate]:
        if percent in (None, "", 0, "0"):
            return []
        return [self.store.tax_rate(money(percent, "tax_rate"))]

    @staticmethod
    def _coupon(raw: dict[str, Any]) -> CouponSpec:
        kind = raw.get("discount_type", "percent")
        if kind not in COUPON_TYPES:
            raise invalid_params({"coupons": f"discount_type is not one of {', '.join(COUPON_TYPES)}."})
        # Coupon codes are stored lower-case (wc_format_coupon_code).
        return CouponSpec(code=str(raw.get("code", "coupon")).lower(), discount_type=kind,
                          amount=money(raw.get("amount", "0"), "coupons.amount"))

    # ---- order items -------------------------------------------------------------------------

    def _line_item(self, purchase: _Purchase, result: CartResult) -> LineItem:
        totals = result.lines[purchase.line.key]
        return LineItem(
            id=self.store.next_item_id(),
            name=purchase.bought.name,
            product_id=purchase.product.id,
            variation_id=purchase.variation.id if purchase.variation else 0,
            quantity=purchase.line.quantity,
            sku=purchase.bought.sku,
            subtotal=totals.subtotal,
            subtotal_tax=totals.subtotal_tax,
            total=totals.total,
            total_tax=totals.total_tax,
            taxes_total=totals.taxes_total,
            taxes_subtotal=totals.taxes_subtotal,
        )

    def _shipping_line(self, shipping: dict[str, Any], total: Decimal, result: CartResult) -> ShippingLine:
        return ShippingLine(
            id=self.store.next_item_id(),
            method_title=str(shipping.get("method_title", "Flat rate")),
            method_id=str(shipping.get("method_id", "flat_rate")),
            total=total,
            taxes=result.shipping_taxes,
        )

    def _tax_lines(self, result: CartResult) -> list[TaxLine]:
        """One per rate used by items or shipping, items' rates first."""
        lines = []
        for rate_id in dict.fromkeys([*result.item_taxes, *result.shipping_taxes]):
            rate = result.rates[rate_id]
            lines.append(
                TaxLine(
                    id=self.store.next_item_id(),
                    rate_id=rate_id,
                    rate_code=rate.rate_code,
                    label=rate.label,
                    compound=rate.compound,
                    tax_total=result.item_taxes.get(rate_id, Decimal(0)),
                    shipping_tax_total=result.shipping_taxes.get(rate_id, Decimal(0)),
                    rate_percent=rate.percent,
                )
            )
        return lines

    def _coupon_line(self, coupon: CouponSpec, result: CartResult) -> CouponLine:
        return CouponLine(
            id=self.store.next_item_id(),
            code=coupon.code,
            discount=result.coupon_discount[coupon.code],
            discount_tax=result.coupon_discount_tax[coupon.code],
            discount_type=coupon.discount_type,
            nominal_amount=coupon.amount,
        )
