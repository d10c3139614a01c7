"""What a test or benchmark configures per emulated shop."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ShopifySeed:
    """Deterministic starting catalog.

    ``skus`` lets a test reuse the Rackbeat emulator's product numbers so both sides share SKUs; they are
    grouped into products of ``variants_per_product`` variants. Without it, ``product_count`` products get
    generated SKUs (``SKU-0001`` ...). Every variant is stocked with ``available`` at every location.
    """

    skus: list[str] | None = None
    product_count: int = 3
    variants_per_product: int = 2
    locations: tuple[str, ...] = ("Main warehouse",)
    available: int = 10
    base_price: Decimal = Decimal("100.00")


@dataclass
class ShopSpec:
    handle: str
    access_token: str
    webhook_secret: str
    restore_rate: float = 100.0
    bucket_size: float = 1000.0
    api_version: str = "2025-10"
    seed: ShopifySeed | None = field(default=None)
    taxes_included: bool = False
    currency: str = "DKK"
    duplicate_webhook_rate: float = 0.0

    @property
    def domain(self) -> str:
        return f"{self.handle}.myshopify.com"
