"""RackbeatClient against aioresponses: the 206 envelope, filters, headers, budget feedback, paths."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from daemon.config.model import RackbeatConfig
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.rackbeat.pagination import plural_key
from daemon.errors import TerminalApiError
from daemon.http.ratelimit import RateLimiter
from tests.mock_http import MockApi, sent
from tests.unit.test_ratelimit import FakeTime

BASE = "http://127.0.0.1:8123/api"
TOKEN = "rb-test-token-123"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def limiter() -> RateLimiter:
    fake = FakeTime()
    return RateLimiter("rackbeat", per_second=8, burst=20, concurrency=8, clock=fake.clock, sleep=fake.sleep)


@pytest.fixture
def rackbeat(session, limiter) -> RackbeatClient:
    return RackbeatClient.create(RackbeatConfig(api_url=BASE, token=TOKEN), session, limiter, contact="ops@shop.dk")


@pytest.fixture
def mock():
    with MockApi() as m:
        yield m


def envelope(key: str, items: list, *, page: int, pages: int, limit: int = 1000) -> dict:
    return {key: items, "total": len(items), "pages": pages, "limit": limit, "page": page}


def any_query(path: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(BASE + path)}\?.*$")


def only_query(mock: MockApi) -> dict:
    ((_, url),) = mock.requests
    return dict(url.query)


async def collect(pages) -> list[list[dict]]:
    return [page async for page in pages]


def test_plural_key_follows_the_last_path_segment():
    assert plural_key("/purchase-orders") == "purchase_orders"
    assert plural_key("inventory-adjustments/") == "inventory_adjustments"
    assert plural_key("/products") == "products"


async def test_pages_through_the_206_envelope_until_the_last_page(rackbeat, mock):
    for page in (1, 2, 3):
        items = [{"number": f"P{page}{i}"} for i in range(2 if page < 3 else 1)]
        body = envelope("products", items, page=page, pages=3, limit=2)
        mock.get(f"{BASE}/products?limit=2&page={page}", status=206, payload=body)
    pages = await collect(rackbeat.iter_pages("/products", limit=2))
    assert [[p["number"] for p in page] for page in pages] == [["P10", "P11"], ["P20", "P21"], ["P30"]]
    assert sent(mock) == 3


async def test_one_request_when_everything_fits_one_page(rackbeat, mock):
    body = envelope("purchase_orders", [{"number": 1}], page=1, pages=1)
    mock.get(f"{BASE}/purchase-orders?limit=1000&page=1", status=206, payload=body)
    assert await collect(rackbeat.iter_pages("/purchase-orders")) == [[{"number": 1}]]
    assert sent(mock) == 1


async def test_an_unchanged_account_yields_nothing_for_one_request(rackbeat, mock):
    mock.get(f"{BASE}/orders?limit=1000&page=1", status=206, payload=envelope("orders", [], page=1, pages=1))
    assert await collect(rackbeat.iter_pages("/orders")) == []
    assert sent(mock) == 1


async def test_a_list_answer_without_its_key_is_terminal(rackbeat, mock):
    mock.get(f"{BASE}/orders?limit=1000&page=1", status=206, payload={"data": []})
    with pytest.raises(TerminalApiError, match="answer has no 'orders' list"):
        await collect(rackbeat.iter_pages("/orders"))


async def test_changed_since_filters_by_updated_at_in_utc_oldest_first(rackbeat, mock):
    copenhagen = timezone(timedelta(hours=1))
    since = datetime(2026, 11, 22, 10, 5, 7, 900_000, tzinfo=copenhagen)
    until = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)
    mock.get(any_query("/orders"), status=206, payload=envelope("orders", [], page=1, pages=1))
    await collect(rackbeat.changed_since("orders", since, until))
    assert only_query(mock) == {
        "updated_at_from": "2026-11-22 09:05:07",
        "updated_at_to": "2026-11-22 12:00:00",
        "order_by": "updated_at",
        "order_direction": "ASC",
        "page": "1",
        "limit": "1000",
    }


def test_changed_since_refuses_naive_datetimes(rackbeat):
    with pytest.raises(ValueError, match="naive"):
        rackbeat.changed_since("products", datetime(2026, 1, 1))


async def test_customer_lookup_by_email_uses_simple_filter(rackbeat, mock):
    mock.get(any_query("/customers"), status=206, payload=envelope("customers", [{"number": 5}], page=1, pages=1))
    assert await rackbeat.find_customer_by_email("a+b@shop.dk") == {"number": 5}
    assert only_query(mock)["simple_filter[contact_email]"] == "a+b@shop.dk"


async def test_order_lookup_by_reference_uses_simple_filter(rackbeat, mock):
    mock.get(any_query("/orders"), status=206, payload=envelope("orders", [], page=1, pages=1))
    assert await rackbeat.find_orders_by_reference("shop-a#1001") == []
    assert only_query(mock)["simple_filter[other_reference]"] == "shop-a#1001"


async def test_every_request_carries_the_identifying_headers(rackbeat, mock):
    mock.get(f"{BASE}/orders/7", status=200, payload={"order": {"number": 7}})
    assert await rackbeat.get_order(7) == {"number": 7}
    ((call,),) = mock.requests.values()
    headers = call.kwargs["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == headers["Content-Type"] == "application/json"
    assert headers["API-Version"] == "latest"
    assert headers["Consumer-Name"] == "rackbeat-sync" and headers["Consumer-Contact"] == "ops@shop.dk"
    assert headers["User-Agent"] == "rackbeat-sync (ops@shop.dk)"


async def test_rate_limit_headers_feed_the_limiter(rackbeat, mock, limiter):
    for number, remaining in ((1, "300"), (2, "0")):
        quota = {"X-RateLimit-Limit": "480", "X-RateLimit-Remaining": remaining}
        mock.get(f"{BASE}/orders/{number}", status=200, payload={"order": {}}, headers=quota)
    await rackbeat.get_order(1)
    assert not limiter.busy
    await rackbeat.get_order(2)
    assert limiter.busy  # quota spent: the connection is skipped until the window turns


async def test_product_numbers_are_encoded_and_missing_products_are_none(rackbeat, mock):
    mock.get(f"{BASE}/products/AB%2F1%20%232", status=404, payload={"message": "Product not found."})
    assert await rackbeat.get_product("AB/1 #2") is None
    ((_, url),) = mock.requests
    assert url.raw_path == "/api/products/AB%2F1%20%232"


async def test_record_writes_suppress_webhooks_and_return_the_record(rackbeat, mock):
    mock.post(f"{BASE}/products?suppress_webhooks=true", status=201, payload={"product": {"number": "A1"}})
    assert await rackbeat.create_product({"number": "A1", "name": "Mug"}) == {"number": "A1"}
    ((call,),) = mock.requests.values()
    assert call.kwargs["json"] == {"number": "A1", "name": "Mug"}


async def test_state_transitions_announce_themselves(rackbeat, mock):
    shipment = {"order_shipment": {"id": 31, "is_shipped": True}}
    mock.post(f"{BASE}/orders/shipments/31/mark-shipped", status=200, payload=shipment)
    assert (await rackbeat.mark_shipment_shipped(31))["is_shipped"] is True
    (((_, url), (call,)),) = mock.requests.items()
    assert url.query == {} and call.kwargs["json"] == {"pick": True}


async def test_draft_orders_go_to_the_drafts_endpoint(rackbeat, mock):
    draft = {"order": {"number": 9, "is_booked": False}}
    mock.post(f"{BASE}/orders/drafts?suppress_webhooks=true", status=201, payload=draft)
    assert (await rackbeat.create_order({"customer_id": 1, "lines": []}, draft=True))["number"] == 9


async def test_order_shipments_are_listed_under_their_own_key(rackbeat, mock):
    body = envelope("order_shipments", [{"id": 1}], page=1, pages=1)
    mock.get(f"{BASE}/orders/9/shipments?limit=1000&page=1", status=206, payload=body)
    assert await rackbeat.order_shipments(9) == [{"id": 1}]


async def test_convert_to_invoice_returns_the_whole_answer(rackbeat, mock):
    mock.post(f"{BASE}/orders/9/convert-to-invoice", status=201, payload={"invoice_id": 4})
    assert await rackbeat.convert_to_invoice(9) == {"invoice_id": 4}


async def test_webhook_registration_is_safe_to_repeat_after_a_lost_answer(rackbeat, mock):
    mock.post(f"{BASE}/webhooks", exception=aiohttp.ServerDisconnectedError())
    mock.post(f"{BASE}/webhooks", status=201, payload={"webhook": {"id": 3, "token": "t" * 32}})
    assert (await rackbeat.register_webhook("order.created", "https://d/hooks/rackbeat"))["id"] == 3
    assert sent(mock) == 2
