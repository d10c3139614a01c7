"""The sandbox the product tests share: Rackbeat, one Shopify shop and one WooCommerce site, served
over real HTTP in the test process, with the daemon's own clients pointed at them (no tests here)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, AsyncIterator

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.woocommerce import WooClient
from daemon.http.ratelimit import RateLimiter
from daemon.sandbox.common import serve
from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.rest_json import product_json
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.webhooks.dispatch import InboxItem

RB_TOKEN, SHOP_TOKEN, CK, CS = "rb-sandbox-token", "shpat_products", "ck_products", "cs_products"
SHOPIFY_ID, WOO_ID = "acme", "site"


def rate(concurrency: int) -> dict[str, int]:
    """Budgets the emulators never push back on, so tests measure the flow, not the throttle."""
    return {"per_second": 1000, "burst": 1000, "concurrency": concurrency}


def limiter(name: str) -> RateLimiter:
    return RateLimiter(name, per_second=1000, burst=1000, concurrency=8)


class World:
    def __init__(self, rackbeat: RackbeatEmulator, shopify: ShopifyEmulator, woo: WooEmulator) -> None:
        self.rackbeat_emulator = rackbeat
        self.shopify_emulator = shopify
        self.woo_emulator = woo
        self.urls: dict[str, str] = {}
        self.session: aiohttp.ClientSession | None = None

    def config_data(self, *, master: str = "rackbeat", **products: Any) -> dict[str, Any]:
        options = {"master": master, **products}
        common = {"webhook_secret": "whsec", "products": options, "stock": {"location": 2}}
        return {
            "rackbeat": {"api_url": f"{self.urls['rackbeat']}/api", "token": RB_TOKEN, "rate": rate(8)},
            "shops": [
                {"id": SHOPIFY_ID, "type": "shopify", "api_url": f"{self.urls['shopify']}/{SHOPIFY_ID}",
                 "access_token": SHOP_TOKEN, "rate": rate(4), **common},
                {"id": WOO_ID, "type": "woocommerce", "api_url": f"{self.urls['woo']}/{WOO_ID}",
                 "consumer_key": CK, "consumer_secret": CS, "rate": rate(4), **common},
            ],
        }

    def config(self, **options: Any) -> Config:
        return Config.model_validate(self.config_data(**options))

    def clients(self, config: Config) -> tuple[RackbeatClient, dict[str, object]]:
        assert self.session is not None
        rackbeat = RackbeatClient.create(config.rackbeat, self.session, limiter("rackbeat"))
        shopify = ShopifyClient.create(config.shop(SHOPIFY_ID), self.session, limiter(SHOPIFY_ID))
        woo = WooClient.create(config.shop(WOO_ID), self.session, limiter(WOO_ID))
        return rackbeat, {SHOPIFY_ID: shopify, WOO_ID: woo}

    # -- looking inside the emulators ----------------------------------------------------------------

    @property
    def shop(self):
        return self.shopify_emulator.shops[SHOPIFY_ID]

    def shopify_variants(self, sku: str) -> list:
        return [v for v in self.shop.variants.values() if v.sku == sku]

    def shopify_product_of(self, sku: str):
        [variant] = self.shopify_variants(sku)
        return self.shop.products[variant.product_id]

    def shopify_webhook(self, sku: str) -> dict[str, Any]:
        """The products/update body the shop sends for the product holding ``sku``."""
        return product_json(self.shop, self.shopify_product_of(sku))

    @property
    def site(self):
        return self.woo_emulator.sites[WOO_ID]

    def woo_items(self, sku: str) -> list:
        return [p for p in self.site.store.products.values() if p.sku == sku and p.status != "trash"]

    def woo_webhook(self, sku: str) -> dict[str, Any]:
        [item] = self.woo_items(sku)
        return self.site.serializer.product(item)

    def rackbeat_product(self, number: str):
        return self.rackbeat_emulator.state.catalog.products.get(number)


def inbox_item(source: str, connection: str, topic: str, payload: dict[str, Any]) -> InboxItem:
    return InboxItem(0, source, connection, topic, payload, {}, dt.datetime.now(dt.timezone.utc))


@contextlib.asynccontextmanager
async def open_world(
    shopify_seed: ShopifySeed, woo_seed: WooSeed, rackbeat_seed: RackbeatSeed | None = None
) -> AsyncIterator[World]:
    rackbeat = RackbeatEmulator(
        RB_TOKEN,
        rate_limit_per_min=10_000_000,
        seed=rackbeat_seed or RackbeatSeed(products=4, customers=0, suppliers=0),
    )
    shopify = ShopifyEmulator([ShopSpec(SHOPIFY_ID, SHOP_TOKEN, "whsec", restore_rate=1_000_000, seed=shopify_seed)])
    woo = WooEmulator([SiteSpec(WOO_ID, CK, CS, "whsec", seed=woo_seed)])
    sandbox = World(rackbeat, shopify, woo)
    async with AsyncExitStack() as stack:
        for name, emulator in (("rackbeat", rackbeat), ("shopify", shopify), ("woo", woo)):
            sandbox.urls[name] = await stack.enter_async_context(serve(emulator.app))
        sandbox.session = await stack.enter_async_context(aiohttp.ClientSession())
        yield sandbox


@pytest.fixture
async def world():
    seed = ShopifySeed(skus=["P0001", "P0002"], variants_per_product=2)
    async with open_world(seed, WooSeed(simple_skus=["P0001"], variable={"TEE": ["P0002"]})) as sandbox:
        yield sandbox


def write_config(path: Path, data: dict[str, Any]) -> Path:
    """A TOML config file (top-level tables and arrays of tables; nested tables inline)."""
    lines = []
    for section, body in data.items():
        for table in body if isinstance(body, list) else [body]:
            lines.append(f"[[{section}]]" if isinstance(body, list) else f"[{section}]")
            lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"
    return "[" + ", ".join(map(_toml, value)) + "]"


CLI = (
    "import argparse, asyncio, sys; from daemon.cli import products_cmd; "
    "parser = argparse.ArgumentParser(); products_cmd.register(parser.add_subparsers()); "
    "args = parser.parse_args(sys.argv[1:]); sys.exit(asyncio.run(args.func(args)))"
)
"""``rackbeat-sync initial-sync`` without the program's parser (which gets the command from the lead)."""


async def start_initial_sync(config: Path, database_url: str, log: Path, *args: str) -> asyncio.subprocess.Process:
    """The command as its own process, its report on stdout and its log lines appended to ``log``."""
    env = {**os.environ, "RACKBEAT_SYNC__DAEMON__DATABASE_URL": database_url}
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-c", CLI, "initial-sync", "--config", str(config), *args,
            stdout=asyncio.subprocess.PIPE, stderr=stderr, env=env,
        )
