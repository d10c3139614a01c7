"""The product flow's own vocabulary, between Rackbeat JSON and each shop's JSON.

A shop variant is one Rackbeat product (its SKU is the product number); ``ShopVariant`` is what a
shop says about one, ``ShopFields`` what Rackbeat says a shop variant should show.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from daemon.config.model import ProductOptions

NUMBER_MAX_LENGTH = 25  # Rackbeat product numbers; longer shop SKUs cannot be synced
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ShopVariant:
    variant_id: str
    product_id: str
    sku: str
    name: str  # the Rackbeat product name: product title, plus the variant's options when it has siblings
    description: str  # plain text
    price: Decimal | None  # in the shop's terms (with or without VAT)
    barcode: str
    weight_kg: Decimal | None
    stock: int | None  # None when the shop does not track it
    active: bool


@dataclass(frozen=True)
class ShopFields:
    """What a shop variant should show, derived from a Rackbeat product."""

    sku: str
    name: str
    description: str
    price: Decimal  # in the shop's terms
    barcode: str
    product_type: str  # the Rackbeat product group's name
    active: bool  # False for a barred product


@dataclass(frozen=True)
class Pricing:
    """Rackbeat sales prices never include VAT; a shop's may (``prices_include_vat``)."""

    include_vat: bool
    vat_rate: Decimal  # percent

    @classmethod
    def of(cls, options: ProductOptions) -> Pricing:
        return cls(options.prices_include_vat, Decimal(str(options.vat_rate)))

    def shop_price(self, rackbeat_price: Decimal) -> Decimal:
        return _cents(rackbeat_price * self._factor)

    def rackbeat_price(self, shop_price: Decimal) -> Decimal:
        return _cents(shop_price / self._factor)

    @property
    def _factor(self) -> Decimal:
        return 1 + self.vat_rate / 100 if self.include_vat else Decimal(1)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def sku_problem(sku: str) -> str | None:
    """Why a SKU cannot be a Rackbeat product number, or None when it can."""
    if not sku:
        return "variant has no SKU"
    if len(sku) > NUMBER_MAX_LENGTH:
        return f"SKU longer than {NUMBER_MAX_LENGTH} characters ({len(sku)})"
    return None
