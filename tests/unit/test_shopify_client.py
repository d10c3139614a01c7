"""ShopifyClient against aioresponses: throttling, cost feedback, userErrors, cursors, input limits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import aiohttp
import pytest

from daemon.config.model import ShopConfig
from daemon.connectors.shopify import ShopifyClient, ShopifyUserErrors, documents
from daemon.errors import RetryableApiError, TerminalApiError
from daemon.http.ratelimit import RateLimiter
from tests.mock_http import MockApi, sent

API_URL = "http://127.0.0.1:8124/acme"
GRAPHQL = f"{API_URL}/admin/api/2026-01/graphql.json"


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def limiter(fake) -> RateLimiter:
    return RateLimiter("acme", per_second=4, burst=8, concurrency=4, clock=fake.clock, sleep=fake.sleep)


def shop(version: str = "2026-01") -> ShopConfig:
    return ShopConfig(
        id="acme", type="shopify", api_url=API_URL, access_token="shpat_x", webhook_secret="s", api_version=version
    )


@pytest.fixture
def client(session, limiter) -> ShopifyClient:
    return ShopifyClient.create(shop(), session, limiter)


@pytest.fixture
def mock():
    with MockApi() as m:
        yield m


def answer(data=None, *, requested=10, available=990.0, maximum=1000.0, restore=50.0, errors=None) -> dict:
    body = {
        "extensions": {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": None if errors else requested,
                "throttleStatus": {
                    "maximumAvailable": maximum,
                    "currentlyAvailable": available,
                    "restoreRate": restore,
                },
            }
        }
    }
    if data is not None:
        body["data"] = data
    if errors is not None:
        body["errors"] = errors
    return body


THROTTLED = [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]


def bodies(mock: MockApi) -> list[dict]:
    return [call.kwargs["json"] for calls in mock.requests.values() for call in calls]


async def test_throttled_waits_for_the_missing_points_then_succeeds(client, mock, fake):
    mock.post(GRAPHQL, payload=answer(errors=THROTTLED, requested=932, available=100, restore=50))
    mock.post(GRAPHQL, payload=answer({"locations": {"nodes": [{"id": "gid://shopify/Location/1"}]}}))
    assert await client.locations() == [{"id": "gid://shopify/Location/1"}]
    assert sent(mock) == 2
    assert fake.sleeps == [pytest.approx((932 - 100) / 50)]


async def test_still_throttled_becomes_retryable_with_the_restore_time(client, mock):
    for _ in range(5):
        mock.post(GRAPHQL, payload=answer(errors=THROTTLED, requested=500, available=0, restore=100))
    with pytest.raises(RetryableApiError) as caught:
        await client.locations()
    assert caught.value.retry_after == pytest.approx(5.0)
    assert sent(mock) == 5


async def test_cost_reported_by_the_server_drives_the_limiter(client, mock, fake, limiter, monkeypatch):
    seen = []
    original = limiter.observe_points
    monkeypatch.setattr(limiter, "observe_points", lambda *a: (seen.append(a), original(*a)))
    data = {"locations": {"nodes": []}}
    mock.post(GRAPHQL, payload=answer(data, requested=500, available=10, maximum=2000, restore=100))
    mock.post(GRAPHQL, payload=answer(data, requested=500, available=1500, maximum=2000, restore=100))
    await client.locations()
    await client.locations()  # pre-pays the document's known cost: waits (500 - 10) / 100 s
    assert seen[0] == (10.0, 2000.0, 100.0)
    assert fake.sleeps == [pytest.approx(4.9)]


async def test_user_errors_are_raised_with_their_messages(client, mock):
    field = ["input", "quantities", "0", "locationId"]
    errors = [{"field": field, "message": "The location is invalid.", "code": "INVALID_LOCATION"}]
    payload = {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}}
    mock.post(GRAPHQL, payload=answer(payload))
    with pytest.raises(ShopifyUserErrors) as caught:
        await client.set_inventory([(1, 2, 5)], idempotency_key="k-1")
    assert caught.value.messages == ["The location is invalid."]
    assert caught.value.codes == ["INVALID_LOCATION"]
    assert "input.quantities.0.locationId: The location is invalid." in caught.value.reason
    assert isinstance(caught.value, TerminalApiError)


async def test_top_level_errors_are_terminal(client, mock):
    mock.post(GRAPHQL, payload=answer(errors=[{"message": "Field 'nope' doesn't exist on type 'Query'"}]))
    with pytest.raises(TerminalApiError, match="doesn't exist"):
        await client.execute("query Broken { nope }")


async def test_orders_follow_end_cursor_within_the_window(client, mock):
    def page(ids, *, more, cursor):
        nodes = [{"id": f"gid://shopify/Order/{i}", "lineItems": {"pageInfo": {"hasNextPage": False}}} for i in ids]
        return answer({"orders": {"pageInfo": {"hasNextPage": more, "endCursor": cursor}, "nodes": nodes}})

    mock.post(GRAPHQL, payload=page([1, 2, 3], more=True, cursor="c1"))
    mock.post(GRAPHQL, payload=page([4], more=False, cursor="c2"))
    since = datetime(2026, 11, 1, 8, 30, 15, 999000, tzinfo=timezone.utc)
    until = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    pages = [[node["id"][-1] for node in p] async for p in client.orders_updated_since(since, until)]
    assert pages == [["1", "2", "3"], ["4"]]
    first, second = bodies(mock)
    assert first["query"] == documents.ORDERS_UPDATED_SINCE
    assert first["variables"] == {
        "query": "updated_at:>='2026-11-01T08:30:15Z' updated_at:<='2026-11-01T09:00:00Z'",
        "after": None,
    }
    assert second["variables"]["after"] == "c1"


async def test_an_order_with_more_lines_is_read_again_on_its_own(client, mock):
    truncated = {"id": "gid://shopify/Order/7", "lineItems": {"pageInfo": {"hasNextPage": True}, "nodes": []}}
    full = {"id": "gid://shopify/Order/7", "lineItems": {"pageInfo": {"hasNextPage": False}, "nodes": [{}] * 30}}
    mock.post(GRAPHQL, payload=answer({"orders": {"pageInfo": {"hasNextPage": False}, "nodes": [truncated]}}))
    mock.post(GRAPHQL, payload=answer({"order": full}))
    [[order]] = [p async for p in client.orders_updated_since(datetime(2026, 1, 1, tzinfo=timezone.utc))]
    assert order == full
    assert bodies(mock)[1]["variables"] == {"id": "gid://shopify/Order/7", "lineItems": 77}


async def test_set_inventory_refuses_more_than_250_quantities(client, mock):
    with pytest.raises(ValueError, match="at most 250"):
        await client.set_inventory([(i, 1, 5) for i in range(251)], idempotency_key="k")
    assert sent(mock) == 0


async def test_set_inventory_sends_gids_key_and_skips_compare(client, mock):
    group = {"id": "gid://shopify/InventoryAdjustmentGroup/9", "changes": []}
    payload = {"inventorySetQuantities": {"inventoryAdjustmentGroup": group, "userErrors": []}}
    mock.post(GRAPHQL, payload=answer(payload))
    assert await client.set_inventory([(11, "gid://shopify/Location/2", 7)], idempotency_key="k-7") == group
    [body] = bodies(mock)
    assert body["variables"] == {
        "idempotencyKey": "k-7",
        "input": {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": [
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/11",
                    "locationId": "gid://shopify/Location/2",
                    "quantity": 7,
                }
            ],
        },
    }


async def test_from_2026_04_quantities_carry_a_null_change_from(session, limiter, mock):
    client = ShopifyClient.create(shop("2026-04"), session, limiter)
    url = f"{API_URL}/admin/api/2026-04/graphql.json"
    mock.post(url, payload=answer({"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": []}}))
    await client.set_inventory([(11, 2, 7)], idempotency_key="k")
    [body] = bodies(mock)
    assert "ignoreCompareQuantity" not in body["variables"]["input"]
    assert body["variables"]["input"]["quantities"][0]["changeFromQuantity"] is None


def test_versions_without_idempotent_are_refused(session, limiter):
    with pytest.raises(ValueError, match="2026-01 or newer"):
        ShopifyClient.create(shop("2025-10"), session, limiter)


async def test_requests_carry_the_access_token(client, mock):
    mock.post(GRAPHQL, payload=answer({"locations": {"nodes": []}}))
    await client.locations()
    [[call]] = mock.requests.values()
    assert call.kwargs["headers"]["X-Shopify-Access-Token"] == "shpat_x"
