"""The official ``woocommerce`` Python client against the emulator. Over plain http it signs every request
with OAuth 1.0a (HMAC-SHA256, parameters in the query string, sent twice) - the emulator accepts that
over http just like a real store does. The client is synchronous, so it runs in a thread."""

from __future__ import annotations

import asyncio

import pytest
from woocommerce import API

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running

SKUS = [f"RB-{n:03d}" for n in range(1, 8)]


@pytest.fixture
async def client():
    seed = WooSeed(simple_skus=SKUS, variable={"TEE": ["TEE-S", "TEE-L"]})
    async with running(WooEmulator([SiteSpec("shop", "ck_official", "cs_official", "whsec", seed=seed)])) as client:
        yield client


def official(client) -> API:
    return API(url=client.site_url, consumer_key="ck_official", consumer_secret="cs_official", version="wc/v3",
               timeout=10)


async def test_lists_products_page_by_page_using_total_pages(client):
    api = official(client)

    def all_pages() -> list[str]:
        first = api.get("products", params={"per_page": 3, "orderby": "id", "order": "asc"})
        assert first.status_code == 200, first.text
        skus = [p["sku"] for p in first.json()]
        for page in range(2, int(first.headers["X-WP-TotalPages"]) + 1):
            answer = api.get("products", params={"per_page": 3, "orderby": "id", "order": "asc", "page": page})
            assert answer.status_code == 200, answer.text
            skus += [p["sku"] for p in answer.json()]
        return skus

    assert await asyncio.to_thread(all_pages) == [*SKUS, "TEE"]


async def test_looks_up_a_variation_by_sku(client):
    answer = await asyncio.to_thread(official(client).get, "products", params={"sku": "TEE-L"})
    assert answer.status_code == 200, answer.text
    (variation,) = answer.json()
    assert (variation["sku"], variation["type"]) == ("TEE-L", "variation")


async def test_batch_update_of_stock(client):
    listed = await client.api("GET", "products", params={"sku": ",".join(SKUS[:3])})
    updates = [{"id": p["id"], "stock_quantity": 40 + i} for i, p in enumerate(sorted(listed.body, key=lambda p: p["sku"]))]
    answer = await asyncio.to_thread(official(client).post, "products/batch", {"update": updates})
    assert answer.status_code == 200, answer.text
    assert [p["stock_quantity"] for p in answer.json()["update"]] == [40, 41, 42]
    state = await client.state()
    assert {p["sku"]: p["stock_quantity"] for p in state["products"] if p["sku"] in SKUS[:3]} == {
        "RB-001": 40, "RB-002": 41, "RB-003": 42}


async def test_official_client_with_wrong_secret_is_rejected(client):
    api = API(url=client.site_url, consumer_key="ck_official", consumer_secret="wrong", version="wc/v3", timeout=10)
    answer = await asyncio.to_thread(api.get, "products")
    assert answer.status_code == 401
    assert answer.json()["message"] == "Invalid signature - provided signature does not match."
