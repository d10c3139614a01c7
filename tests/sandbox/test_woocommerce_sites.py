"""One emulator, several sites routed by path prefix; faults from ``common`` wired in."""

from __future__ import annotations

import aiohttp
import pytest

from daemon.sandbox.common import Faults, serve
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import WooClient


def two_sites(faults: Faults | None = None) -> WooEmulator:
    return WooEmulator(
        [
            SiteSpec("dk", "ck_dk", "cs_dk", "wh_dk", seed=WooSeed(simple_skus=["DK-1"])),
            SiteSpec("se", "ck_se", "cs_se", "wh_se", currency="SEK", prices_include_tax=False,
                     seed=WooSeed(simple_skus=["SE-1", "SE-2"])),
        ],
        faults=faults,
    )


@pytest.fixture
async def clients():
    emulator = two_sites(Faults(seed=1))
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield {h: WooClient(emulator, session, base_url, emulator.sites[h].spec) for h in ("dk", "se")}


async def test_sites_are_isolated(clients):
    dk, se = clients["dk"], clients["se"]
    assert [p["sku"] for p in (await dk.api("GET", "products")).body] == ["DK-1"]
    assert {p["sku"] for p in (await se.api("GET", "products")).body} == {"SE-1", "SE-2"}
    order = await se.place_order({"lines": [{"sku": "SE-1", "quantity": 1}]})
    assert (order["currency"], order["prices_include_tax"]) == ("SEK", False)
    assert (await dk.api("GET", "orders")).body == []
    foreign = {"consumer_key": "ck_se", "consumer_secret": "cs_se"}
    async with dk.session.get(f"{dk.site_url}/wp-json/wc/v3/products", params=foreign) as response:
        assert response.status == 401


async def test_unknown_site_is_no_route(clients):
    async with clients["dk"].session.get(f"{clients['dk'].base_url}/nope/wp-json/wc/v3/products") as response:
        assert response.status == 404
        assert (await response.json())["code"] == "rest_no_route"


async def test_fields_parameter_trims_the_answer(clients):
    answer = await clients["dk"].api("GET", "products", params={"_fields": "id,sku,date_modified_gmt"})
    assert set(answer.body[0]) == {"id", "sku", "date_modified_gmt"}


async def test_injected_errors_leave_state_untouched_and_control_routes_alone(clients):
    dk = clients["dk"]
    async with dk.session.put(f"{dk.base_url}/_sandbox/faults", json={"error_rate": 1.0}) as response:
        assert response.status == 200
    assert (await dk.api("POST", "products", json={"name": "Never"})).status == 503
    assert len((await dk.state())["products"]) == 1


async def test_commit_then_drop_on_create(clients):
    dk = clients["dk"]
    async with dk.session.put(f"{dk.base_url}/_sandbox/faults", json={"commit_drop_rate": 1.0}) as response:
        assert response.status == 200
    with pytest.raises(aiohttp.ClientError):
        await dk.api("POST", "products", json={"name": "Ghost", "sku": "GHOST"})
    assert "GHOST" in {p["sku"] for p in (await dk.state())["products"]}
    # Updates are not creates: they answer normally.
    ghost = (await dk.api("GET", "products", params={"sku": "GHOST"})).body[0]
    assert (await dk.api("PUT", f"products/{ghost['id']}", json={"name": "Seen"})).status == 200
