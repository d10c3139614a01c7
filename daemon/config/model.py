"""The shape of the configuration file; every key documented in config/rackbeat-sync.example.toml.

Validation happens here (types, allowed values, cross-field rules); secrets are resolved by
:mod:`daemon.config.secrets` during validation so that an unresolvable ``env:``/``file:`` reference is
reported like any other problem, with its key path.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from daemon.config.secrets import resolve_secret


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _secret(value: object) -> object:
    if isinstance(value, str):
        return SecretStr(resolve_secret(value))
    return value


class RateConfig(Strict):
    """A connection's request budget; adapted at run time from what the server reports."""

    per_second: float = Field(gt=0)
    burst: float = Field(gt=0)
    concurrency: int = Field(ge=1, le=64)


class DaemonConfig(Strict):
    listen: str = "127.0.0.1:8080"
    database_url: str = ""
    data_dir: str = "var"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    workers: int = Field(default=16, ge=1, le=256)
    shutdown_grace_s: float = Field(default=20.0, gt=0)
    webhook_max_body: int = Field(default=2 * 1024 * 1024, gt=0)
    public_url: str = ""  # how shops reach the listener, for webhook registration

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 127.0.0.1:8080")
        return value

    @property
    def listen_host(self) -> str:
        return self.listen.rpartition(":")[0].strip("[]")

    @property
    def listen_port(self) -> int:
        return int(self.listen.rpartition(":")[2])


class RackbeatConfig(Strict):
    api_url: str = "https://app.rackbeat.com/api"
    token: SecretStr
    webhook_token: SecretStr | None = None  # Rackbeat-Webhook-Token we expect on deliveries
    rate: RateConfig = RateConfig(per_second=8.0, burst=20, concurrency=8)
    poll_interval_s: float = Field(default=60.0, gt=0)

    _resolve = field_validator("token", "webhook_token", mode="before")(_secret)


class OrderOptions(Strict):
    """How a shop's orders go to Rackbeat: when, to which customer, and how far Rackbeat processes them."""

    enabled: bool = True
    trigger: Literal["created", "paid", "fulfilled"] = "paid"  # shopify
    statuses: list[str] = ["processing", "completed"]  # woocommerce
    process_to: Literal["draft", "booked", "shipped", "invoiced"] = "booked"
    shipping_product: str = "shipping"
    rounding_product: str = "rounding"
    default_customer: int | None = None  # Rackbeat customer number for orders without an email
    customer_group_id: int = 1
    payment_terms_id: int = 1
    location: int | None = None  # Rackbeat location number put on every order line
    cancel_in_rackbeat: bool = False  # cancel the Rackbeat order when the shop cancels, if not shipped
    fulfilled_status: str = "completed"  # woocommerce status set when Rackbeat ships


class StockOptions(Strict):
    """Rackbeat is master of stock: what this shop shows is pushed from Rackbeat."""

    enabled: bool = True
    location: int | None = None  # Rackbeat location number to count; None = all locations
    reconcile_interval_s: float = Field(default=6 * 3600.0, gt=0)


class ProductOptions(Strict):
    """Which side owns product data for this shop, and how prices translate."""

    master: Literal["rackbeat", "shop", "none"] = "none"
    product_group: int = 1  # Rackbeat product group for products created from the shop
    prices_include_vat: bool = True  # shop prices include VAT (Rackbeat sales prices never do)
    vat_rate: float = Field(default=25.0, ge=0)  # percent, to convert between the two


class ShopConfig(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
    type: Literal["shopify", "woocommerce"]
    api_url: str
    access_token: SecretStr | None = Field(default=None, validate_default=True)
    consumer_key: SecretStr | None = Field(default=None, validate_default=True)
    consumer_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_secret: SecretStr
    api_version: str = "2026-01"  # first version with @idempotent inventory writes
    home_country: str = Field(default="DK", min_length=2, max_length=2)
    poll_interval_s: float = Field(default=300.0, gt=0)
    start_date: dt.date | None = None
    rate: RateConfig | None = None
    orders: OrderOptions = OrderOptions()
    stock: StockOptions = StockOptions()
    products: ProductOptions = ProductOptions()

    _resolve = field_validator(
        "access_token", "consumer_key", "consumer_secret", "webhook_secret", mode="before"
    )(_secret)

    @field_validator("access_token", "consumer_key", "consumer_secret", mode="after")
    @classmethod
    def _credentials(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        needed_by = {"access_token": "shopify"}.get(info.field_name, "woocommerce")
        if value is None and info.data.get("type") == needed_by:
            raise ValueError(f"is required for a {needed_by} shop")
        return value

    @property
    def effective_rate(self) -> RateConfig:
        """Defaults from the API notes. Shopify's budget is GraphQL points, charged per query at its cost:
        a bucket of 1,000 restored at 100/s (the Standard plan), replaced by the shop's real figures
        (``throttleStatus``) from its first answer on. WooCommerce is modest."""
        if self.rate is not None:
            return self.rate
        if self.type == "shopify":
            return RateConfig(per_second=100.0, burst=1000, concurrency=4)
        return RateConfig(per_second=5.0, burst=5, concurrency=3)


class OngoingFlows(Strict):
    """Each Ongoing flow can be switched on or off on its own."""

    products: bool = True
    orders: bool = True
    purchase_orders: bool = True
    shipments: bool = True
    receipts: bool = True
    adjustments: bool = False  # switch on only after `rackbeat-sync ongoing stock-compare` is clean


class OngoingConfig(Strict):
    """One Ongoing WMS warehouse (goods owner) mapped to one Rackbeat location."""

    id: str = Field(default="ongoing", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
    api_url: str  # https://api.ongoingsystems.se/{warehouse}/api/v1
    user: str
    password: SecretStr
    goods_owner_id: int
    location: int  # the Rackbeat location number that is this warehouse
    shipped_statuses: list[int] = [450, 500]  # order status numbers that count as shipped
    receive_when: Literal["completed", "immediately"] = "completed"
    poll_interval_s: float = Field(default=120.0, gt=0)
    webhook_token: SecretStr | None = None  # X-Auth-Token on Ongoing webhooks (they only trigger polls)
    flows: OngoingFlows = OngoingFlows()

    _resolve = field_validator("password", "webhook_token", mode="before")(_secret)


class Config(Strict):
    daemon: DaemonConfig = DaemonConfig()
    rackbeat: RackbeatConfig
    shops: list[ShopConfig] = []
    ongoing: list[OngoingConfig] = []

    @model_validator(mode="after")
    def _unique_shop_ids(self) -> "Config":
        seen: set[str] = set()
        for shop in self.shops:
            if shop.id in seen:
                raise ValueError(f"shops: duplicate shop id {shop.id!r}")
            seen.add(shop.id)
        return self

    def shop(self, shop_id: str) -> ShopConfig | None:
        return next((s for s in self.shops if s.id == shop_id), None)
