"""Ongoing emulator: auth, warehouse segment, goods owner checks, articles, error shapes, faults and
the one-request-at-a-time detector."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from daemon.sandbox.ongoing import OngoingEmulator
from daemon.sandbox.ongoing.harness import running

OWNER = {"goodsOwnerId": 1}


@pytest.fixture
async def wms():
    async with running(OngoingEmulator()) as harness:
        yield harness


def article(number: str, **extra) -> dict:
    return {**OWNER, "articleNumber": number, "articleName": f"Article {number}", **extra}


async def test_every_request_needs_basic_auth(wms):
    assert (await wms.call("GET", "/orders/statuses", credentials=("WSI-sandbox", "wrong"))).status == 401
    answer = await wms.call("GET", "/orders/statuses", credentials=("WSI-other", "sandbox-password"))
    assert answer.status == 401 and "Message" in answer.body
    assert (await wms.call("GET", "/orders/statuses")).status == 200


async def test_unknown_warehouse_segment_is_404(wms):
    answer = await wms.call("GET", "/orders/statuses", url=f"{wms.base_url}/otherwarehouse/api/v1")
    assert answer.status == 404 and "message" in answer.body


async def test_goods_owner_is_checked_on_queries_and_bodies(wms):
    # [inferred] another goods owner is 403 (the API user belongs to exactly one); a missing one is 400.
    assert (await wms.call("GET", "/articles", params={"goodsOwnerId": 2})).status == 403
    missing = await wms.call("GET", "/articles")
    assert missing.status == 400 and "goodsOwnerId" in missing.body["modelState"]
    assert (await wms.call("PUT", "/articles", json={**article("A1"), "goodsOwnerId": 2})).status == 403
    # ASP.NET binds query keys case-insensitively.
    assert (await wms.call("GET", "/articles", params={"goodsownerid": 1})).status == 200


async def test_article_upsert_creates_then_updates_the_same_article(wms):
    body = article(
        "A1",
        productCode="PC-1",
        unitCode="St",
        weight="1.5",  # numeric strings are accepted, as in Ongoing's own examples
        length=0.3,
        customerPrice="99.50",
        isStockArticle=True,
        articleGroup={"code": "G1", "name": "Group 1"},
        storageProperties={"isBatchArticle": False, "isSerialNumberArticle": False},
        supplierInfo={"supplierNumber": "S1", "supplierName": "Supplier", "supplierArticleNumber": "S-A1"},
        barCodeInfo={"barCode": "5701234567890"},
    )
    created = await wms.call("PUT", "/articles", json=body)
    assert created.status == 200 and set(created.body) == {"articleSystemId", "message"}
    article_id = created.body["articleSystemId"]

    updated = await wms.call("PUT", "/articles", json=article("A1", articleName="Renamed", weight=2))
    assert updated.status == 200 and updated.body["articleSystemId"] == article_id

    got = (await wms.call("GET", f"/articles/{article_id}")).body
    assert (got["articleName"], got["weight"], got["length"], got["customerPrice"]) == ("Renamed", 2, 0.3, 99.5)
    # [inferred] fields absent from the update keep their stored values.
    assert got["supplierInfo"]["supplierNumber"] == "S1" and got["barCodeInfo"]["barCode"] == "5701234567890"
    assert got["goodsOwner"]["id"] == 1 and got["articleNumber"] == "A1"
    assert got["inventoryInfo"]["numberOfItems"] == 0 and got["inventoryInfo"]["sellableNumberOfItems"] == 0
    assert (await wms.call("GET", "/articles/999999")).status == 404


async def test_article_validation_answers_model_state(wms):
    bad = await wms.call("PUT", "/articles", json=article("", weight="heavy", isActive="yes"))
    assert bad.status == 400
    assert set(bad.body["modelState"]) == {"articleNumber", "weight", "isActive"}


async def test_bodies_must_be_json_objects_sent_with_a_length(wms):
    auth = {"Authorization": aiohttp.encode_basic_auth("WSI-sandbox", "sandbox-password")}
    url = wms.api_url + "/articles"
    as_json = {**auth, "Content-Type": "application/json"}
    async with wms.session.put(url, data=b"nope", headers=as_json) as not_json:
        assert not_json.status == 400 and "modelState" in await not_json.json()
    async with wms.session.put(url, data=b"[]", headers=as_json) as not_object:
        assert not_object.status == 400
    async with wms.session.put(url, data=b"{}", headers={**auth, "Content-Type": "text/plain"}) as wrong_type:
        assert wrong_type.status == 415

    async def chunks():
        yield b'{"goodsOwnerId": 1, "articleNumber": "A1"}'

    # [inferred] a chunked body (no Content-Length) meets IIS's generic 500, as a Node client did.
    async with wms.session.put(url, data=chunks(), headers=as_json) as chunked:
        assert (chunked.status, await chunked.json()) == (500, {"Message": "An error has occurred."})
    assert wms.emulator.store.articles == {}


async def test_article_list_filters_and_cursor(wms):
    ids = [(await wms.call("PUT", "/articles", json=article(f"A{i}"))).body["articleSystemId"] for i in range(5)]
    chosen = await wms.call(
        "GET", "/articles", params=[("goodsOwnerId", 1), ("articleNumbers", "A1"), ("articleNumbers", "A3")]
    )
    assert [a["articleNumber"] for a in chosen.body] == ["A1", "A3"]
    joined = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "articleNumbers": "A1,A3"})
    assert joined.body == []  # a comma-joined value is one element, not two
    page = await wms.call(
        "GET", "/articles", params={"goodsOwnerId": 1, "articleSystemIdFrom": ids[1], "maxArticlesToGet": 2}
    )
    assert [a["articleSystemId"] for a in page.body] == ids[1:3]


async def test_stock_and_data_change_filters(wms):
    for number in ("A1", "A2"):
        await wms.call("PUT", "/articles", json=article(number))
    mark = (await wms.call("GET", "/articles", params={"goodsOwnerId": 1})).body[1]["articleDataLastUpdated"]
    await wms.call("PUT", "/_sandbox/articles/A1/stock", json={"numberOfItems": 5})
    stock_changed = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "stockInfoChangedFrom": mark})
    assert [(a["articleNumber"], a["inventoryInfo"]["numberOfItems"]) for a in stock_changed.body] == [
        ("A1", 5),
        ("A2", 0),  # created at the mark itself: "from" is inclusive
    ]
    await wms.call("PUT", "/articles", json=article("A1", articleName="New name"))
    data = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "articleDataLastUpdatedFrom": mark})
    assert [a["articleNumber"] for a in data.body] == ["A1", "A2"]
    later = data.body[0]["articleDataLastUpdated"]
    after = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "articleDataLastUpdatedFrom": later})
    assert [a["articleNumber"] for a in after.body] == ["A1"]
    bad_time = await wms.call("GET", "/articles", params={"goodsOwnerId": 1, "stockInfoChangedFrom": "yesterday"})
    assert bad_time.status == 400 and "stockInfoChangedFrom" in bad_time.body["modelState"]


async def test_injected_faults_use_ongoing_shapes(wms):
    await wms.call("PUT", "/_sandbox/faults", json={"error_rate": 1.0})
    failed = await wms.call("GET", "/orders/statuses")
    assert (failed.status, failed.body) == (500, {"Message": "An error has occurred."})
    await wms.call("PUT", "/_sandbox/faults", json={"error_rate": 0.0, "throttle_rate": 1.0})
    assert (await wms.call("GET", "/orders/statuses")).status == 429
    await wms.call("PUT", "/_sandbox/faults", json={"throttle_rate": 0.0, "commit_drop_rate": 1.0})
    # The create commits and its answer is lost; aiohttp itself retries a dropped idempotent PUT once,
    # and that retry is an update (not dropped), so the caller sees the same article "Updated".
    retried = await wms.call("PUT", "/articles", json=article("A1"))
    assert retried.status == 200 and "Updated" in retried.body["message"]
    assert len(wms.emulator.store.articles) == 1


async def test_concurrency_detector_sees_overlapping_requests(wms):
    for _ in range(3):
        await wms.call("GET", "/orders/statuses")
    assert (await wms.call("GET", "/_sandbox/state")).body["max_concurrency_seen"] == 1
    await wms.call("PUT", "/_sandbox/faults", json={"latency_ms": 100})
    await asyncio.gather(wms.call("GET", "/orders/statuses"), wms.call("GET", "/purchaseOrders/statuses"))
    assert (await wms.call("GET", "/_sandbox/state")).body["max_concurrency_seen"] == 2
    assert wms.emulator.max_concurrency_seen == 2
