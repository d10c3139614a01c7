"""The sandbox's fixed addresses and credentials, in one place.

``config/sandbox.toml`` repeats these values (a config file cannot import Python); the sandbox tests
check that the two agree. None of them is a secret: they only open the local emulators.
"""

from __future__ import annotations

from dataclasses import dataclass

HOST = "127.0.0.1"
LISTENER = f"{HOST}:8080"  # the daemon's webhook listener in config/sandbox.toml


@dataclass(frozen=True)
class Ports:
    """Where each emulator listens; 0 picks a free port (tests)."""

    rackbeat: int = 8701
    shopify: int = 8702
    woocommerce: int = 8703
    ongoing: int = 8704


FIXED_PORTS = Ports()
FREE_PORTS = Ports(0, 0, 0, 0)


@dataclass(frozen=True)
class RackbeatAccount:
    token: str
    webhook_token: str  # accepted on Rackbeat deliveries besides the tokens of the daemon's own subscriptions


@dataclass(frozen=True)
class ShopifyShop:
    id: str  # the daemon's shop id and the emulator's path prefix
    access_token: str
    webhook_secret: str
    taxes_included: bool


@dataclass(frozen=True)
class WooSite:
    id: str
    consumer_key: str
    consumer_secret: str
    webhook_secret: str


@dataclass(frozen=True)
class OngoingAccount:
    warehouse: str
    user: str
    password: str
    goods_owner_id: int


RACKBEAT = RackbeatAccount(token="rb-sandbox-token", webhook_token="rb-sandbox-webhook-token-0000001")
SHOPIFY_SHOPS = (
    ShopifyShop("shopify-main", "shpat_sandbox_main", "shopify-main-webhook-secret", taxes_included=False),
    ShopifyShop("shopify-outlet", "shpat_sandbox_outlet", "shopify-outlet-webhook-secret", taxes_included=True),
)
WOO_SITES = (
    WooSite("woo-main", "ck_sandbox_woo_main", "cs_sandbox_woo_main", "woo-main-webhook-secret"),
)
ONGOING = OngoingAccount(warehouse="sandbox", user="WSI-sandbox", password="ongoing-sandbox-password", goods_owner_id=1)
