"""The whole sandbox: one Rackbeat account, two Shopify shops and one WooCommerce shop that sell the
same goods, and the Ongoing WMS warehouse (a 3PL) holding part of the stock; each emulator on its own
loopback port.

The catalogue is whatever the Rackbeat seed holds (``P0001``..): every stocked product number is a
SKU in every shop — Shopify groups them as variants of 3, WooCommerce has simple products and two
variable ones — and an Ongoing article holding what Rackbeat's 3PL location has. So an order placed
anywhere maps onto Rackbeat products. One extra shop-only SKU (:data:`UNKNOWN_SKU`) exists so the
daemon's handling of an unmappable order can be seen. Rackbeat also gets the ``rounding`` service
product the daemon's config names, as a merchant would set it up.
"""

from __future__ import annotations

import contextlib


from .common import Clock, serve
from .credentials import FIXED_PORTS, HOST, ONGOING, RACKBEAT, SHOPIFY_SHOPS, WOO_SITES, Ports, ShopifyShop, WooSite
from .ongoing import OngoingEmulator
from .ongoing.articles import upsert as upsert_article
from .rackbeat import RackbeatEmulator, RackbeatSeed
from .rackbeat.seed import SERVICE_GROUP
from .shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from .woocommerce import SiteSpec, WooEmulator, WooSeed

PRODUCTS = 12
ROUNDING_PRODUCT = "rounding"  # the service product the daemon books VAT-rounding differences on
UNKNOWN_SKU = "GIFTWRAP"  # sold in every shop, unknown to Rackbeat
SHOPIFY_VARIANTS_PER_PRODUCT = 3
WOO_VARIABLE_PARENTS = ("HOODIE", "TEE")  # parent SKUs of the variable products (never on an order line)
WOO_VARIATIONS_EACH = 3
ONGOING_LOCATION = 2  # the Rackbeat location ("3PL") whose goods the Ongoing warehouse holds


class SandboxWorld:
    """Builds the emulators (``start`` serves them, ``stop`` ends them); ``ports`` of 0 pick free ports."""

    def __init__(self, *, ports: Ports = FIXED_PORTS, host: str = HOST, clock: Clock | None = None) -> None:
        self.ports = ports
        self.host = host
        self.rackbeat = RackbeatEmulator(RACKBEAT.token, seed=RackbeatSeed(products=PRODUCTS), clock=clock)
        catalog = self.rackbeat.state.catalog
        catalog.create_product(
            {"number": ROUNDING_PRODUCT, "name": "Rounding", "group": SERVICE_GROUP, "sales_price": 0}
        )
        self.skus = [p.number for p in catalog.products.values() if catalog.stocked(p)]
        self.shopify = ShopifyEmulator([self._shop_spec(shop) for shop in SHOPIFY_SHOPS], clock=clock)
        self.woocommerce = WooEmulator([self._site_spec(site) for site in WOO_SITES], clock=clock)
        self.ongoing = OngoingEmulator(
            warehouse=ONGOING.warehouse,
            user=ONGOING.user,
            password=ONGOING.password,
            goods_owner_id=ONGOING.goods_owner_id,
            clock=clock,
        )
        self._stock_ongoing()
        self.base_urls: dict[str, str] = {}
        self._stack = contextlib.AsyncExitStack()

    def _shop_spec(self, shop: ShopifyShop) -> ShopSpec:
        seed = ShopifySeed(skus=[*self.skus, UNKNOWN_SKU], variants_per_product=SHOPIFY_VARIANTS_PER_PRODUCT)
        return ShopSpec(shop.id, shop.access_token, shop.webhook_secret, taxes_included=shop.taxes_included, seed=seed)

    def _site_spec(self, site: WooSite) -> SiteSpec:
        """The last SKUs become the variations of the variable products, the rest simple products."""
        split = len(self.skus) - len(WOO_VARIABLE_PARENTS) * WOO_VARIATIONS_EACH
        variable = {
            parent: self.skus[split + i * WOO_VARIATIONS_EACH : split + (i + 1) * WOO_VARIATIONS_EACH]
            for i, parent in enumerate(WOO_VARIABLE_PARENTS)
        }
        seed = WooSeed(simple_skus=[*self.skus[:split], UNKNOWN_SKU], variable=variable)
        return SiteSpec(site.id, site.consumer_key, site.consumer_secret, site.webhook_secret, seed=seed)

    def _stock_ongoing(self) -> None:
        """One article per SKU, on the shelf with what Rackbeat says its 3PL location holds."""
        catalog = self.rackbeat.state.catalog
        location = catalog.location(ONGOING_LOCATION)
        for sku in self.skus:
            product = catalog.find_product(sku)
            upsert_article(
                self.ongoing.store,
                {"goodsOwnerId": ONGOING.goods_owner_id, "articleNumber": sku, "articleName": product.name},
            )
            self.ongoing.warehouse.set_stock(sku, catalog.quantities(product, location).stock)

    async def start(self) -> None:
        for name, app, port in (
            ("rackbeat", self.rackbeat.app, self.ports.rackbeat),
            ("shopify", self.shopify.app, self.ports.shopify),
            ("woocommerce", self.woocommerce.app, self.ports.woocommerce),
            ("ongoing", self.ongoing.app, self.ports.ongoing),
        ):
            self.base_urls[name] = await self._stack.enter_async_context(serve(app, self.host, port))

    async def stop(self) -> None:
        await self._stack.aclose()
        self.base_urls.clear()

    async def __aenter__(self) -> "SandboxWorld":
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    # -- where things are (valid once started) -----------------------------------------------------

    @property
    def rackbeat_api_url(self) -> str:
        return f"{self.base_urls['rackbeat']}/api"

    def shopify_url(self, shop_id: str) -> str:
        """The shop's ``api_url`` for the daemon (it appends ``/admin/api/...``)."""
        return f"{self.base_urls['shopify']}/{shop_id}"

    def woo_url(self, site_id: str) -> str:
        """The site URL for the daemon (it appends ``/wp-json/wc/v3/...``)."""
        return f"{self.base_urls['woocommerce']}/{site_id}"

    @property
    def ongoing_api_url(self) -> str:
        return f"{self.base_urls['ongoing']}{self.ongoing.prefix}"
