"""ApiClient against aioresponses: retries, Retry-After, typed errors, create-safety, quiet logs."""

from __future__ import annotations

import asyncio
import io
import json
import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import aiohttp
import pytest
import structlog
from aioresponses import aioresponses

from tests.mock_http import MockApi, sent

from daemon.errors import NotFoundError, RetryableApiError, TerminalApiError
from daemon.http.client import ApiClient
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import retry_after_seconds
from daemon.logs.setup import configure_logging
from tests.unit.test_ratelimit import FakeTime

BASE = "http://rb.test/api"
TOKEN = "tok-9f8e7d6c5b4a"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def limiter(fake) -> RateLimiter:
    return RateLimiter("rackbeat", per_second=100, burst=100, concurrency=4, clock=fake.clock, sleep=fake.sleep)


@pytest.fixture
def seen() -> list:
    return []


@pytest.fixture
def client(session, limiter, seen) -> ApiClient:
    return ApiClient(
        "rackbeat",
        BASE,
        session=session,
        limiter=limiter,
        headers={"Authorization": f"Bearer {TOKEN}"},
        backoff_base_s=0,
        observe=seen.append,
    )


@pytest.fixture
def mock():
    with MockApi() as m:
        yield m


async def test_get_returns_status_headers_json_body_and_timing(client, mock):
    mock.get(f"{BASE}/self", status=200, payload={"user_account": {"id": 7}}, headers={"X-RateLimit-Remaining": "9"})
    response = await client.request("GET", "/self")
    assert response.status == 200
    assert response.body == {"user_account": {"id": 7}}
    assert response.headers["x-ratelimit-remaining"] == "9"
    assert response.elapsed_ms >= 0


async def test_non_json_answers_come_back_as_text(client, mock):
    mock.get(f"{BASE}/orders/1.pdf", status=200, body="%PDF-ish", content_type="text/plain")
    assert (await client.request("GET", "/orders/1.pdf")).body == "%PDF-ish"


async def test_path_is_joined_under_the_base_prefix_and_encoded_keys_stay_one_segment(client, mock):
    mock.get(f"{BASE}/products/AB%2F1?suppress_webhooks=true", status=200, payload={})
    await client.request("GET", "products/AB%2F1", params={"suppress_webhooks": True, "skip": None})
    ((method, url),) = mock.requests
    assert method == "GET" and url.raw_path == "/api/products/AB%2F1" and url.query == {"suppress_webhooks": "true"}


async def test_retries_503_then_succeeds(client, mock, seen):
    mock.get(f"{BASE}/products", status=503, payload={"message": "down"})
    mock.get(f"{BASE}/products", status=206, payload={"products": []})
    assert (await client.request("GET", "/products")).status == 206
    assert sent(mock) == 2
    assert [r.status for r in seen] == [503, 206]  # the observe hook sees every answer


async def test_retries_connection_errors_and_timeouts_on_idempotent_requests(client, mock):
    mock.put(f"{BASE}/products/1", exception=aiohttp.ServerDisconnectedError())
    mock.put(f"{BASE}/products/1", exception=asyncio.TimeoutError())
    mock.put(f"{BASE}/products/1", status=200, payload={"product": {}})
    assert (await client.request("PUT", "/products/1", json={"name": "x"})).status == 200
    assert sent(mock) == 3


async def test_429_retry_after_seconds_pauses_the_connection(client, mock, fake):
    mock.get(f"{BASE}/orders", status=429, payload={"message": "Too Many Attempts."}, headers={"Retry-After": "7"})
    mock.get(f"{BASE}/orders", status=206, payload={"orders": []})
    await client.request("GET", "/orders")
    assert fake.now >= 7  # the second attempt waited in the limiter until the pause was over


async def test_retry_after_as_http_date(client, mock, fake, limiter):
    past = format_datetime(datetime.now(timezone.utc) - timedelta(seconds=30), usegmt=True)
    mock.get(f"{BASE}/orders", status=503, headers={"Retry-After": past})
    mock.get(f"{BASE}/orders", status=206, payload={"orders": []})
    await client.request("GET", "/orders")
    assert fake.now == 0

    later = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)
    mock.get(f"{BASE}/orders", status=429, headers={"Retry-After": later})
    with pytest.raises(RetryableApiError) as caught:
        await client.request("GET", "/orders")
    assert 3500 < caught.value.retry_after <= 3600  # too long to sleep through: handed to the queue
    assert limiter.busy  # the job queue skips this connection meanwhile
    with pytest.raises(RetryableApiError, match="not sent") as caught:
        await client.request("GET", "/products")  # and a running job does not wait an hour in line
    assert caught.value.retry_after > 3500
    assert sent(mock) == 3


def test_retry_after_parsing():
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("2.5") == 2.5
    assert retry_after_seconds("Sun, 22 Nov 2026 12:00:30 GMT", now=now) == 30
    assert retry_after_seconds("Sun, 22 Nov 2026 11:00:00 GMT", now=now) == 0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("inf") is None


async def test_gives_up_after_max_attempts_with_a_retryable_error(client, mock):
    for _ in range(4):
        mock.get(f"{BASE}/products", status=502, body="Bad Gateway", content_type="text/html")
    with pytest.raises(RetryableApiError) as caught:
        await client.request("GET", "/products")
    assert sent(mock) == 4
    assert caught.value.status == 502 and caught.value.connection == "rackbeat"
    assert caught.value.reason == "rackbeat GET /products → 502: Bad Gateway"


async def test_422_is_terminal_with_the_dotted_errors_in_the_reason(client, mock):
    body = {"message": "Product needed", "errors": {"lines.0.item_id": ["Product needed"]}}
    mock.post(f"{BASE}/orders", status=422, payload=body)
    with pytest.raises(TerminalApiError) as caught:
        await client.request("POST", "/orders", json={"lines": [{}]})
    assert caught.value.reason == "rackbeat POST /orders → 422: lines.0.item_id: Product needed"
    assert caught.value.status == 422 and caught.value.body == body
    assert sent(mock) == 1


async def test_404_is_not_found(client, mock):
    mock.get(f"{BASE}/products/X", status=404, payload={"message": "Product not found."})
    with pytest.raises(NotFoundError, match="404: Product not found."):
        await client.request("GET", "/products/X")


async def test_post_is_not_repeated_after_a_dropped_connection(client, mock):
    mock.post(f"{BASE}/orders", exception=aiohttp.ServerDisconnectedError())
    mock.post(f"{BASE}/orders", status=201, payload={"order": {"number": 1}})
    with pytest.raises(RetryableApiError, match="may have reached the server"):
        await client.request("POST", "/orders", json={})
    assert sent(mock) == 1


async def test_post_is_not_repeated_after_a_timeout_or_a_plain_503(client, mock):
    mock.post(f"{BASE}/orders", exception=asyncio.TimeoutError())
    mock.post(f"{BASE}/orders", status=503)
    for _ in range(2):
        with pytest.raises(RetryableApiError):
            await client.request("POST", "/orders", json={})
    assert sent(mock) == 2


async def test_post_is_repeated_after_429_and_503_with_retry_after(client, mock):
    mock.post(f"{BASE}/orders", status=429, headers={"Retry-After": "1"})
    mock.post(f"{BASE}/orders", status=503, headers={"Retry-After": "1"})
    mock.post(f"{BASE}/orders", status=201, payload={"order": {"number": 1}})
    assert (await client.request("POST", "/orders", json={})).body == {"order": {"number": 1}}
    assert sent(mock) == 3


async def test_post_marked_idempotent_is_retried_like_a_get(client, mock):
    mock.post(f"{BASE}/webhooks", exception=aiohttp.ServerDisconnectedError())
    mock.post(f"{BASE}/webhooks", status=200, payload={"webhook": {}})
    await client.request("POST", "/webhooks", json={}, idempotent=True)
    assert sent(mock) == 2


async def test_post_is_repeated_when_the_connection_was_refused(session, limiter):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    client = ApiClient(
        "wms", f"http://127.0.0.1:{port}", session=session, limiter=limiter, backoff_base_s=0, max_attempts=3
    )
    stream = io.StringIO()
    configure_logging("debug", json=True, stream=stream)
    with pytest.raises(RetryableApiError, match="ClientConnectorError"):
        await client.request("POST", "/orders", json={})
    events = [json.loads(line)["event"] for line in stream.getvalue().splitlines()]
    assert events.count("http.request") == 3 and events.count("http.retry") == 2


async def test_logs_name_the_request_but_never_the_token(client, mock):
    stream = io.StringIO()
    configure_logging("debug", json=True, stream=stream)
    mock.get(f"{BASE}/products?page=2", status=500, payload={"message": "boom"})
    mock.get(f"{BASE}/products?page=2", status=206, payload={"products": []})
    await client.request("GET", "/products", params={"page": 2})
    output = stream.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    retry = next(line for line in lines if line["event"] == "http.retry")
    assert retry["level"] == "warning" and retry["connection"] == "rackbeat" and retry["status"] == 500
    request = [line for line in lines if line["event"] == "http.request"][-1]
    assert request["level"] == "debug"
    assert {"connection": "rackbeat", "method": "GET", "path": "/products", "status": 206}.items() <= request.items()
    assert TOKEN not in output and "Authorization" not in output


@pytest.fixture(autouse=True)
def _restore_logging():
    yield
    structlog.reset_defaults()
