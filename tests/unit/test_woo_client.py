"""WooClient against aioresponses: OAuth 1.0a signing, X-WP-TotalPages paging, batches, error codes."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import unquote

import aiohttp
import pytest
import yarl
from woocommerce.oauth import OAuth

from daemon.config.model import ShopConfig
from daemon.connectors.woocommerce import BatchItemErrors, WooClient, rest_error_code
from daemon.connectors.woocommerce.auth import OAuthSession
from daemon.errors import TerminalApiError
from daemon.http.client import ApiClient
from daemon.http.ratelimit import RateLimiter
from tests.mock_http import MockApi, sent

SITE = "http://127.0.0.1:8125/shop"
BASE = f"{SITE}/wp-json/wc/v3"
KEY, SECRET = "ck_0123456789abcdef", "cs_fedcba9876543210"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def limiter() -> RateLimiter:
    return RateLimiter("shop", per_second=1000, burst=1000, concurrency=4)


def config(api_url: str = SITE) -> ShopConfig:
    return ShopConfig(
        id="shop", type="woocommerce", api_url=api_url, consumer_key=KEY, consumer_secret=SECRET, webhook_secret="w"
    )


@pytest.fixture
def woo(session, limiter) -> WooClient:
    return WooClient.create(config(), session, limiter)


@pytest.fixture
def mock():
    with MockApi() as m:
        yield m


def route(path: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(BASE + path)}(\?.*)?$")


def calls(mock: MockApi) -> list[tuple[str, yarl.URL, dict]]:
    return [(method, url, call.kwargs) for (method, url), items in mock.requests.items() for call in items]


def parse_oauth(header: str) -> dict[str, str]:
    assert header.startswith("OAuth ")
    return {k.strip(): unquote(v.strip('"')) for k, v in (part.split("=", 1) for part in header[6:].split(", "))}


async def test_oauth_signature_matches_the_official_client(session, limiter, mock):
    sender = OAuthSession(session, KEY, SECRET, clock=lambda: 1_790_000_000, nonce=lambda: "n0nce")
    api = ApiClient("shop", BASE, session=sender, limiter=limiter)  # type: ignore[arg-type]
    mock.get(route("/orders"), payload=[], headers={"X-WP-TotalPages": "0"})
    since = datetime(2026, 11, 1, 8, 30, 15, tzinfo=timezone.utc)
    assert [page async for page in WooClient(api).orders_modified_since(since)] == []
    [(_, url, kwargs)] = calls(mock)
    oauth = parse_oauth(kwargs["headers"]["Authorization"])
    assert oauth["oauth_consumer_key"] == KEY and oauth["oauth_signature_method"] == "HMAC-SHA256"
    assert (oauth["oauth_timestamp"], oauth["oauth_nonce"]) == ("1790000000", "n0nce")

    official = OAuth(f"{BASE}/orders", KEY, SECRET, version="wc/v3", method="GET")
    params = {**dict(url.query), **{k: v for k, v in oauth.items() if k != "oauth_signature"}}
    assert oauth["oauth_signature"] == official.generate_oauth_signature(params, f"{BASE}/orders")
    assert dict(url.query) == {
        "modified_after": "2026-11-01T08:30:15",
        "dates_are_gmt": "true",
        "orderby": "modified",
        "order": "asc",
        "status": "any",
        "page": "1",
        "per_page": "100",
    }


async def test_every_attempt_is_signed_with_a_fresh_nonce(session, limiter, mock):
    nonces = iter(["a", "b"])
    sender = OAuthSession(session, KEY, SECRET, nonce=lambda: next(nonces))
    api = ApiClient("shop", BASE, session=sender, limiter=limiter, backoff_base_s=0)  # type: ignore[arg-type]
    mock.get(route("/orders/5"), status=503, payload={"code": "x", "message": "busy"})
    mock.get(route("/orders/5"), payload={"id": 5})
    assert await WooClient(api).get_order(5) == {"id": 5}
    used = [parse_oauth(kwargs["headers"]["Authorization"])["oauth_nonce"] for _, _, kwargs in calls(mock)]
    assert used == ["a", "b"]


async def test_https_sites_use_basic_auth(session, limiter, mock):
    woo = WooClient.create(config("https://shop.example"), session, limiter)
    mock.get("https://shop.example/wp-json/wc/v3/orders/1", payload={"id": 1})
    await woo.get_order(1)
    [(_, _, kwargs)] = calls(mock)
    assert kwargs["headers"]["Authorization"] == aiohttp.encode_basic_auth(KEY, SECRET)


async def test_pages_follow_x_wp_total_pages(woo, mock):
    for page in (1, 2, 3):
        items = [{"id": page * 10 + i} for i in range(2)]
        mock.get(route("/products"), payload=items, headers={"X-WP-TotalPages": "3", "X-WP-Total": "6"})
    pages = [[p["id"] for p in page] async for page in woo.iter_products()]
    assert pages == [[10, 11], [20, 21], [30, 31]]
    assert [url.query["page"] for _, url, _ in calls(mock)] == ["1", "2", "3"]


async def test_a_window_that_fits_one_page_costs_one_request(woo, mock):
    mock.get(route("/orders"), payload=[{"id": 1}], headers={"X-WP-TotalPages": "1"})
    pages = [page async for page in woo.orders_modified_since(datetime(2026, 1, 1, tzinfo=timezone.utc))]
    assert pages == [[{"id": 1}]] and sent(mock) == 1


async def test_batches_over_100_items_are_refused(woo, mock):
    with pytest.raises(ValueError, match="at most 100"):
        await woo.batch_products(update=[{"id": i, "stock_quantity": 1} for i in range(60)], delete=list(range(41)))
    with pytest.raises(ValueError, match="at most 100"):
        await woo.batch_variations(7, update=[{"id": i, "stock_quantity": 1} for i in range(101)])
    assert sent(mock) == 0


async def test_batch_item_errors_are_returned_and_can_be_raised(woo, mock):
    error = {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.", "data": {"status": 400}}
    answer = {"update": [{"id": 8, "stock_quantity": 3}, {"id": 99, "error": error}]}
    mock.post(route("/products/7/variations/batch"), payload=answer)
    result = await woo.batch_variations(7, update=[{"id": 8, "stock_quantity": 3}, {"id": 99, "stock_quantity": 1}])
    assert result.updated == [{"id": 8, "stock_quantity": 3}]
    [failure] = result.failures
    assert (failure.action, failure.id, failure.code, failure.data["status"]) == (
        "update",
        99,
        "woocommerce_rest_product_invalid_id",
        400,
    )
    with pytest.raises(BatchItemErrors, match=r"update 99: \[woocommerce_rest_product_invalid_id\] Invalid ID."):
        result.raise_for_failures("shop")


async def test_duplicate_sku_is_terminal_with_its_code(woo, mock):
    body = {
        "code": "product_invalid_sku",
        "message": "Invalid or duplicated SKU.",
        "data": {"status": 400, "resource_id": 12, "unique_sku": "RB-1-1"},
    }
    mock.post(route("/products"), status=400, payload=body)
    with pytest.raises(TerminalApiError, match="Invalid or duplicated SKU") as caught:
        await woo.create_product({"name": "X", "sku": "RB-1"})
    assert rest_error_code(caught.value) == "product_invalid_sku"
    assert caught.value.body["data"]["resource_id"] == 12


async def test_products_by_sku_uses_the_exact_filter(woo, mock):
    mock.get(route("/products"), payload=[{"id": 3, "sku": "A"}], headers={"X-WP-TotalPages": "1"})
    assert await woo.products_by_sku(["A", "B"]) == [{"id": 3, "sku": "A"}]
    [(_, url, _)] = calls(mock)
    assert url.query["sku"] == "A,B"


async def test_order_status_and_note(woo, mock):
    mock.put(route("/orders/5"), payload={"id": 5, "status": "completed"})
    mock.post(route("/orders/5/notes"), status=201, payload={"id": 1, "note": "Shipped"})
    assert (await woo.update_order(5, {"status": "completed"}))["status"] == "completed"
    assert (await woo.add_order_note(5, "Shipped"))["note"] == "Shipped"
    bodies = [kwargs["json"] for _, _, kwargs in calls(mock)]
    assert bodies == [{"status": "completed"}, {"note": "Shipped", "customer_note": False}]
