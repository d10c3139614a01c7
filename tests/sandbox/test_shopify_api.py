"""Transport-level behaviour of the emulated GraphQL Admin API: auth, errors, cost, throttling."""

import asyncio

import pytest

from daemon.sandbox.shopify import ShopifyEmulator, ShopSpec
from daemon.sandbox.shopify.testing import running

LOCATIONS = "{ locations(first: 5) { nodes { id name } } }"


def shop(**overrides) -> ShopSpec:
    return ShopSpec(handle="acme", access_token="tok-acme", webhook_secret="s3cret", **overrides)


@pytest.fixture
async def client():
    async with running(ShopifyEmulator([shop()])) as client:
        yield client


async def test_wrong_token_is_401_with_shopify_message(client):
    status, body = await client.graphql_response(LOCATIONS, token="nope")
    assert status == 401
    assert body == {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


async def test_unknown_shop_is_404(client):
    async with client.session.post(
        f"{client.base_url}/other/admin/api/2026-01/graphql.json", json={"query": LOCATIONS}
    ) as response:
        assert response.status == 404


async def test_shops_are_routed_by_path_prefix():
    emulator = ShopifyEmulator([shop(), ShopSpec("beta", "tok-beta", "x")])
    async with running(emulator, "beta") as client:
        body = await client.graphql("{ shop { myshopifyDomain } }")
        assert body["data"]["shop"]["myshopifyDomain"] == "beta.myshopify.com"
        status, _ = await client.graphql_response(LOCATIONS, token="tok-acme")
        assert status == 401


async def test_every_answer_carries_cost_and_the_version_header(client):
    url = f"{client.api_url}/admin/api/2026-01/graphql.json"
    async with client.session.post(
        url, json={"query": LOCATIONS}, headers={"X-Shopify-Access-Token": client.token}
    ) as response:
        assert response.headers["X-Shopify-API-Version"] == "2026-01"
        body = await response.json()
    cost = body["extensions"]["cost"]
    # connection: 2 + first(5) x (1 per Location node) = 7 requested; one location exists: 2 + 1 actually
    assert cost["requestedQueryCost"] == 7
    assert cost["actualQueryCost"] == 3
    assert cost["throttleStatus"]["maximumAvailable"] == 1000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0
    assert 990 <= cost["throttleStatus"]["currentlyAvailable"] <= 1000


async def test_nested_connections_multiply_and_mutations_cost_ten(client):
    nested = "{ products(first: 10) { edges { node { title variants(first: 5) { nodes { sku inventoryItem { id } } } } } } }"
    body = await client.graphql(nested)
    # per product: 1 + variants(2 + 5 x (1 variant + 1 inventoryItem)) = 13; 2 + 10 x 13
    assert body["extensions"]["cost"]["requestedQueryCost"] == 132
    mutation = 'mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {uri: "http://x/y"}) { userErrors { message } } }'
    assert (await client.graphql(mutation))["extensions"]["cost"]["requestedQueryCost"] == 10


async def test_nodes_are_priced_per_requested_id(client):
    ids = ["gid://shopify/Location/1000001", "gid://shopify/Location/1", "gid://shopify/Order/1"]
    body = await client.graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    # [I] one object per id requested; only the existing location is charged afterwards
    assert body["extensions"]["cost"]["requestedQueryCost"] == 3
    assert body["extensions"]["cost"]["actualQueryCost"] == 1


async def test_validation_errors_are_top_level_with_locations(client):
    status, body = await client.graphql_response("{ orders(first: 1) { nodes { noSuchField } } }")
    assert status == 200
    assert "data" not in body
    [error] = body["errors"]
    assert "noSuchField" in error["message"]
    assert error["locations"] == [{"line": 1, "column": 30}]


async def test_operation_name_picks_one_of_several_operations_and_a_missing_query_is_400(client):
    url = f"{client.api_url}/admin/api/2026-01/graphql.json"
    headers = {"X-Shopify-Access-Token": client.token}
    document = "query A { shop { name } } query B { locations(first: 1) { nodes { name } } }"
    async with client.session.post(
        url, json={"query": document, "operationName": "B"}, headers=headers
    ) as response:
        assert (await response.json())["data"] == {"locations": {"nodes": [{"name": "Main warehouse"}]}}
    async with client.session.post(url, json={"query": document}, headers=headers) as response:
        assert "operation name is required" in (await response.json())["errors"][0]["message"]
    async with client.session.post(url, json={"variables": {}}, headers=headers) as response:
        assert response.status == 400
        assert await response.json() == {"errors": {"query": "Required parameter missing or invalid"}}


async def test_syntax_errors_are_reported_like_validation_errors(client):
    status, body = await client.graphql_response("{ orders(first: 1) { nodes { id }")
    assert status == 200 and body["errors"][0]["message"].startswith("Syntax Error")


async def test_requested_cost_over_1000_is_refused_before_execution(client):
    status, body = await client.graphql_response(
        "{ orders(first: 250) { nodes { lineItems(first: 10) { nodes { sku } } } } }"
    )
    assert status == 200
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["cost"] == 2 + 250 * (1 + 2 + 10)
    assert error["message"].startswith(
        "Query cost is 3252, which exceeds the single query max cost limit (1000)"
    )
    assert body["extensions"]["cost"]["actualQueryCost"] is None


async def test_small_bucket_throttles_then_recovers():
    emulator = ShopifyEmulator([shop(bucket_size=50.0, restore_rate=10.0)])
    query = "{ productVariants(first: 20) { nodes { id } } }"  # requested 22; actual 2 + 6 variants = 8
    async with running(emulator) as client:
        throttled = None
        for _ in range(20):
            status, body = await client.graphql_response(query)
            if "errors" in body:
                throttled = body
                break
        assert throttled is not None and status == 200
        assert "data" not in throttled
        assert throttled["errors"][0]["message"] == "Throttled"
        assert throttled["errors"][0]["extensions"]["code"] == "THROTTLED"
        cost = throttled["extensions"]["cost"]
        assert cost["requestedQueryCost"] == 22 and cost["actualQueryCost"] is None
        available = cost["throttleStatus"]["currentlyAvailable"]
        assert available < 22
        # wait exactly as long as the bucket says it needs (plus one restore step), then the query passes
        await asyncio.sleep((22 - available + 1) / cost["throttleStatus"]["restoreRate"])
        body = await client.graphql(query)
        assert body["data"]["productVariants"]["nodes"]


async def test_throttled_requests_take_no_points_and_refunds_apply():
    emulator = ShopifyEmulator([shop(bucket_size=30.0, restore_rate=0.001)])
    async with running(emulator) as client:
        first = await client.graphql("{ productVariants(first: 20) { nodes { id } } }")
        # charged 22 up front, 22 - 8 refunded once the real cost was known
        assert first["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 22
        _, refused = await client.graphql_response("{ productVariants(first: 25) { nodes { id } } }")
        assert refused["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert refused["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 22


async def test_unsupported_version_is_404_and_faults_are_wired(client):
    status, _ = await client.graphql_response(LOCATIONS, version="v1")
    assert status == 404
    await client.set_faults(throttle_rate=1.0)
    status, body = await client.graphql_response(LOCATIONS)
    assert status == 429
    assert body["errors"].startswith("Exceeded 2 calls per second")
