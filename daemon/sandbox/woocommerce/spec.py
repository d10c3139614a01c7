"""What a test says about a WooCommerce site before it starts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WooSeed:
    """Deterministic catalogue: simple products, and variable products whose variations carry their own SKUs.

    SKUs are given by the test so they can match the Rackbeat emulator's product numbers. All products
    manage stock; prices are ``regular_price`` for every product unless ``prices`` names a SKU.
    """

    simple_skus: list[str] = field(default_factory=list)
    variable: dict[str, list[str]] = field(default_factory=dict)  # parent SKU -> variation SKUs
    stock_quantity: int = 10
    regular_price: str = "100.00"
    prices: dict[str, str] = field(default_factory=dict)


@dataclass
class SiteSpec:
    handle: str
    consumer_key: str
    consumer_secret: str
    webhook_secret: str
    prices_include_tax: bool = True
    currency: str = "DKK"
    seed: WooSeed | None = None
    max_webhook_failures: int = 5
    key_permissions: str = "read_write"  # read | write | read_write
    timezone: str = "Europe/Copenhagen"
