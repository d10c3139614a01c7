"""Shop order poll streams against the emulators: topics, keys, versions, mappable bodies, request cost."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import aiohttp
import pytest

from daemon.config.model import OrderOptions, ShopConfig
from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.woocommerce import WooClient
from daemon.http.ratelimit import RateLimiter
from daemon.pollers.shop_streams import ShopifyOrdersStream, WooOrdersStream, shop_streams
from daemon.sandbox.common import serve
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import ShopClient
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import WooClient as WooControl
from daemon.sync.order_flow.handlers import POLLED_SHOPIFY_ORDER, POLLED_WOO_ORDER
from daemon.sync.orders import order_from_shopify_graphql, order_from_woocommerce


class RequestCounter:
    """Counts HTTP requests the session sends (emulator control calls included; reset before polling)."""

    def __init__(self) -> None:
        self.count = 0
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_start.append(self._started)

    async def _started(self, *_) -> None:
        self.count += 1


@pytest.fixture
def counter() -> RequestCounter:
    return RequestCounter()


@pytest.fixture
async def session(counter):
    async with aiohttp.ClientSession(trace_configs=[counter.trace]) as session:
        yield session


def limiter(name: str) -> RateLimiter:
    return RateLimiter(name, per_second=100, burst=100, concurrency=4)


def window() -> tuple[datetime, datetime]:
    now = datetime.now(timezone.utc)
    return now - timedelta(hours=1), now + timedelta(seconds=5)


def shopify_config(api_url: str, **extra) -> ShopConfig:
    return ShopConfig(
        id="acme",
        type="shopify",
        api_url=api_url,
        access_token="tok",
        webhook_secret="w",
        api_version="2026-01",
        **extra,
    )


def woo_config(api_url: str, shop_id: str = "wshop", **extra) -> ShopConfig:
    return ShopConfig(
        id=shop_id,
        type="woocommerce",
        api_url=api_url,
        consumer_key="ck",
        consumer_secret="cs",
        webhook_secret="w",
        **extra,
    )


async def fetch_all(stream, since, until) -> list:
    return [item async for item in stream.fetch(since, until)]


async def test_shopify_orders_stream(session, counter):
    emulator = ShopifyEmulator([ShopSpec("acme", "tok", "w", seed=ShopifySeed(skus=["RB-1", "RB-2"]))])
    async with serve(emulator.app) as base_url:
        client = ShopifyClient.create(shopify_config(f"{base_url}/acme"), session, limiter("acme"))
        stream = ShopifyOrdersStream(client, "acme", 60.0)
        since, until = window()
        counter.count = 0
        assert await fetch_all(stream, since, until) == []
        assert counter.count == 1  # an unchanged shop costs one request

        control = ShopClient(session, base_url, "acme", "tok")
        placed = await control.place_order({"lines": [{"sku": "RB-1", "quantity": 2}, {"sku": "RB-2", "quantity": 1}]})
        [item] = await fetch_all(stream, since, window()[1])
    assert (stream.name, stream.connection, stream.interval_s) == ("orders", "acme", 60.0)
    assert item.topic == POLLED_SHOPIFY_ORDER == "shopify.order"
    assert item.key == str(placed["id"])
    assert item.updated_at == datetime.fromisoformat(placed["updated_at"]) and item.updated_at.tzinfo is not None
    order = order_from_shopify_graphql(item.body, "acme")
    assert order.shop_order_id == item.key and order.name == placed["name"]
    assert [(line.sku, line.quantity) for line in order.lines] == [("RB-1", Decimal(2)), ("RB-2", Decimal(1))]


async def test_woo_orders_stream(session, counter):
    emulator = WooEmulator([SiteSpec("wshop", "ck", "cs", "w", seed=WooSeed(simple_skus=["RB-1"]))])
    async with serve(emulator.app) as base_url:
        client = WooClient.create(woo_config(f"{base_url}/wshop"), session, limiter("wshop"))
        stream = WooOrdersStream(client, "wshop", 30.0)
        since, until = window()
        counter.count = 0
        assert await fetch_all(stream, since, until) == []
        assert counter.count == 1

        control = WooControl(emulator, session, base_url, emulator.sites["wshop"].spec)
        placed = await control.place_order({"lines": [{"sku": "RB-1", "quantity": 3}]})
        [item] = await fetch_all(stream, since, window()[1])
    assert item.topic == POLLED_WOO_ORDER == "woocommerce.order"
    assert item.key == str(placed["id"])
    assert item.updated_at == datetime.fromisoformat(placed["date_modified_gmt"]).replace(tzinfo=timezone.utc)
    order = order_from_woocommerce(item.body, "wshop")
    assert order.shop_order_id == item.key
    assert [(line.sku, line.quantity) for line in order.lines] == [("RB-1", Decimal(3))]


def test_shop_streams_one_per_shop_with_orders_enabled(session):
    shopify = shopify_config("http://127.0.0.1:1/acme", poll_interval_s=120.0)
    woo = woo_config("http://127.0.0.1:1/wshop")
    quiet = woo_config("http://127.0.0.1:1/other", "quiet", orders=OrderOptions(enabled=False))
    clients = {
        "acme": ShopifyClient.create(shopify, session, limiter("acme")),
        "wshop": WooClient.create(woo, session, limiter("wshop")),
        "quiet": WooClient.create(quiet, session, limiter("quiet")),
    }
    streams = shop_streams(clients, [shopify, woo, quiet])
    assert [(type(s).__name__, s.connection, s.interval_s) for s in streams] == [
        ("ShopifyOrdersStream", "acme", 120.0),
        ("WooOrdersStream", "wshop", 300.0),
    ]
    with pytest.raises(TypeError, match="is a woocommerce shop"):
        shop_streams({"wshop": clients["acme"]}, [woo])
