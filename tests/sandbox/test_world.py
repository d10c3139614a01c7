"""The sandbox world over real HTTP: one catalogue everywhere, the daemon's webhooks registered, and
config/sandbox.toml agreeing with the credentials the emulators were built with."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from daemon.cli.sandbox_cmd import describe
from daemon.config.loader import load_config
from daemon.sandbox.credentials import FIXED_PORTS, LISTENER, ONGOING, RACKBEAT, SHOPIFY_SHOPS, WOO_SITES
from daemon.sandbox.shopify.testing import ShopClient
from daemon.sandbox.woocommerce.testing import WooClient
from daemon.sandbox.world import ONGOING_LOCATION, UNKNOWN_SKU, WOO_VARIABLE_PARENTS, SandboxWorld
from tests.sandbox import world_clients as clients
from tests.sandbox.world_clients import session, world  # noqa: F401 - pytest fixtures

SANDBOX_TOML = Path(__file__).resolve().parents[2] / "config" / "sandbox.toml"
SKUS_QUERY = "{ products(first: 50) { nodes { variants(first: 10) { nodes { sku } } } } }"


async def rackbeat_stocked_numbers(world: SandboxWorld, session: aiohttp.ClientSession) -> set[str]:
    answer = await clients.rackbeat(world, session).call("GET", "/products", params={"limit": 100})
    assert answer.status == 206 and answer.body["pages"] == 1  # Rackbeat answers lists with 206
    return {p["number"] for p in answer.body["products"] if p["group"]["number"] == 1}


async def shopify_variant_groups(client: ShopClient) -> list[list[str]]:
    body = await client.graphql(SKUS_QUERY)
    return [[v["sku"] for v in product["variants"]["nodes"]] for product in body["data"]["products"]["nodes"]]


async def woo_skus(client: WooClient) -> set[str]:
    products = (await client.api("GET", "products", params={"per_page": 100})).body
    skus = {p["sku"] for p in products}
    for product in products:
        if product["type"] == "variable":
            variations = (await client.api("GET", f"products/{product['id']}/variations")).body
            skus |= {v["sku"] for v in variations}
    return skus


async def test_starts_on_free_ports(world):
    assert set(world.base_urls) == {"rackbeat", "shopify", "woocommerce", "ongoing"}
    assert len({int(url.rsplit(":", 1)[1]) for url in world.base_urls.values()}) == 4


async def test_every_rackbeat_product_is_a_sku_in_every_shop(world, session):
    numbers = await rackbeat_stocked_numbers(world, session)
    assert numbers == set(world.skus) and len(numbers) == 12
    for shop in SHOPIFY_SHOPS:
        groups = await shopify_variant_groups(clients.shopify(world, session, shop))
        assert {sku for group in groups for sku in group} == numbers | {UNKNOWN_SKU}
        assert any(len(group) > 1 for group in groups), "variants are separate SKUs of one product"
    for site in WOO_SITES:
        skus = await woo_skus(clients.woocommerce(world, session, site))
        assert skus == numbers | {UNKNOWN_SKU, *WOO_VARIABLE_PARENTS}


async def test_rackbeat_holds_the_stock_and_the_service_products(world, session):
    harness = clients.rackbeat(world, session)
    stock = await harness.call("GET", f"/products/{world.skus[0]}/locations")
    assert stock.status == 206 and any(float(row["stock_quantity"]) > 0 for row in stock.body["product_locations"])
    for number in ("shipping", "discount", "rounding"):
        assert (await harness.call("GET", f"/products/{number}")).status == 200


async def test_ongoing_holds_an_article_per_sku_with_the_3pl_stock(world, session):
    rackbeat = clients.rackbeat(world, session)
    wms = clients.ongoing(world, session)
    answer = await wms.call("GET", "/articles", params={"goodsOwnerId": 1})
    assert answer.status == 200
    on_shelf = {a["articleNumber"]: a["inventoryInfo"]["numberOfItems"] for a in answer.body}
    assert set(on_shelf) == set(world.skus)
    for sku in world.skus[:2]:
        locations = (await rackbeat.call("GET", f"/products/{sku}/locations")).body["product_locations"]
        [at_3pl] = [row["stock_quantity"] for row in locations if row["location_id"] == ONGOING_LOCATION]
        assert float(on_shelf[sku]) == float(at_3pl) > 0


def test_sandbox_toml_uses_the_worlds_credentials_and_ports():
    config = load_config(SANDBOX_TOML, environ={})
    assert config.daemon.listen == LISTENER and config.daemon.database_url == "" and config.daemon.data_dir == "var"
    assert config.rackbeat.api_url == f"http://127.0.0.1:{FIXED_PORTS.rackbeat}/api"
    assert config.rackbeat.token.get_secret_value() == RACKBEAT.token
    assert config.rackbeat.webhook_token.get_secret_value() == RACKBEAT.webhook_token
    assert [s.id for s in config.shops] == [*(s.id for s in SHOPIFY_SHOPS), *(s.id for s in WOO_SITES)]
    for shop in SHOPIFY_SHOPS:
        configured = config.shop(shop.id)
        assert configured.type == "shopify"
        assert configured.api_url == f"http://127.0.0.1:{FIXED_PORTS.shopify}/{shop.id}"
        assert configured.access_token.get_secret_value() == shop.access_token
        assert configured.webhook_secret.get_secret_value() == shop.webhook_secret
    for site in WOO_SITES:
        configured = config.shop(site.id)
        assert configured.type == "woocommerce"
        assert configured.api_url == f"http://127.0.0.1:{FIXED_PORTS.woocommerce}/{site.id}"
        assert configured.consumer_key.get_secret_value() == site.consumer_key
        assert configured.consumer_secret.get_secret_value() == site.consumer_secret
        assert configured.webhook_secret.get_secret_value() == site.webhook_secret


def test_sandbox_toml_ongoing_section_names_the_worlds_warehouse():
    (configured,) = load_config(SANDBOX_TOML).ongoing
    assert configured.api_url == f"http://127.0.0.1:{FIXED_PORTS.ongoing}/{ONGOING.warehouse}/api/v1"
    assert configured.user == ONGOING.user
    assert configured.password.get_secret_value() == ONGOING.password
    assert configured.goods_owner_id == ONGOING.goods_owner_id


async def test_the_sandbox_command_prints_every_url_and_credential(world):
    text = "\n".join(describe(world, LISTENER))
    expected = [world.rackbeat_api_url, world.ongoing_api_url, RACKBEAT.token, RACKBEAT.webhook_token, ONGOING.password]
    for shop in SHOPIFY_SHOPS:
        expected += [world.shopify_url(shop.id), shop.access_token, shop.webhook_secret]
    for site in WOO_SITES:
        expected += [world.woo_url(site.id), site.consumer_key, site.consumer_secret, site.webhook_secret]
    assert [value for value in expected if value not in text] == []
