"""The 206 list envelope and its query language, over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sandbox.rackbeat.harness import running


@pytest.fixture
async def rb():
    async with running(RackbeatEmulator(seed=RackbeatSeed(products=45, customers=5))) as harness:
        yield harness


async def test_list_answers_206_with_envelope_and_default_limit(rb):
    answer = await rb.call("GET", "/products")
    assert answer.status == 206
    assert set(answer.body) == {"products", "total", "pages", "limit", "page"}
    assert answer.body["total"] == 47  # 45 seeded + shipping + discount
    assert (answer.body["limit"], answer.body["page"], answer.body["pages"]) == (20, 1, 3)
    assert len(answer.body["products"]) == 20


async def test_limit_is_clamped_and_pages_past_the_end_are_empty(rb):
    big = await rb.call("GET", "/products", params={"limit": "5000"})
    assert big.body["limit"] == 1000 and len(big.body["products"]) == 47 and big.body["pages"] == 1
    small = await rb.call("GET", "/products", params={"limit": "0"})
    assert small.body["limit"] == 1 and small.body["pages"] == 47
    past = await rb.call("GET", "/products", params={"page": "9"})
    assert past.status == 206 and past.body["products"] == [] and past.body["page"] == 9


async def test_empty_list_still_reports_one_page(rb):
    # [inferred] Laravel's paginator never reports fewer than one page.
    answer = await rb.call("GET", "/orders")
    assert answer.body == {"orders": [], "total": 0, "pages": 1, "limit": 20, "page": 1}


async def test_pages_walk_the_whole_collection_without_overlap(rb):
    seen = []
    page = 1
    while True:
        answer = await rb.call("GET", "/products", params={"page": str(page), "limit": "10", "fields": "number"})
        seen += [p["number"] for p in answer.body["products"]]
        if page >= answer.body["pages"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 47


async def test_order_by_and_direction(rb):
    query = {"order_by": "sales_price", "order_direction": "DESC", "limit": "3"}
    desc = await rb.call("GET", "/products", params=query)
    assert [p["number"] for p in desc.body["products"]] == ["P0045", "P0044", "P0043"]
    asc = await rb.call("GET", "/customers", params={"order_by": "number", "order_direction": "ASC"})
    assert [c["number"] for c in asc.body["customers"]] == [1, 2, 3, 4, 5]


async def test_fields_projection_on_lists_and_single_objects(rb):
    answer = await rb.call("GET", "/products", params={"fields": "number,stock_quantity", "limit": "1"})
    assert answer.body["products"] == [{"number": "P0001", "stock_quantity": 120.0}]
    single = await rb.call("GET", "/products/P0002", params={"fields": "id"})
    assert single.body == {"product": {"id": 2}}


async def test_search_matches_text_fields_case_insensitively(rb):
    answer = await rb.call("GET", "/customers", params={"search": "CUSTOMER3@example"})
    assert [c["number"] for c in answer.body["customers"]] == [3]
    products = await rb.call("GET", "/products", params={"search": "product 4", "fields": "number"})
    assert {p["number"] for p in products.body["products"]} == {"P0004", *(f"P00{n}" for n in range(40, 46))}


async def test_simple_filter_and_plain_equality_filters(rb):
    rb.emulator.state.catalog.products["P0007"].is_barred = True
    by_email = await rb.call("GET", "/customers", params={"simple_filter[contact_email]": "customer2@example.com"})
    assert [c["number"] for c in by_email.body["customers"]] == [2]
    barred = await rb.call("GET", "/products", params={"is_barred": "true", "fields": "number"})
    assert barred.body["products"] == [{"number": "P0007"}]
    not_barred = await rb.call("GET", "/products", params={"simple_filter[is_barred]": "false"})
    assert not_barred.body["total"] == 46
    by_number = await rb.call("GET", "/customers", params={"simple_filter[number]": "4"})
    assert [c["number"] for c in by_number.body["customers"]] == [4]
    unknown = await rb.call("GET", "/customers", params={"simple_filter[no_such_field]": "x"})
    assert unknown.body["total"] == 0


async def test_updated_at_window_accepts_both_formats(rb):
    for product in rb.emulator.state.catalog.products.values():
        product.updated_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    changed = await rb.call("PUT", "/products/P0003", json={"name": "Renamed"})
    assert datetime.fromisoformat(changed.body["product"]["updated_at"]).utcoffset() == timedelta(0)
    for start in ("2025-06-01 00:00:00", "2025-06-01T02:00:00+02:00"):
        answer = await rb.call("GET", "/products", params={"updated_at_from": start, "fields": "number"})
        assert answer.body["products"] == [{"number": "P0003"}]
    until = await rb.call("GET", "/products", params={"updated_at_to": "2025-06-01 00:00:00", "limit": "100"})
    assert until.body["total"] == 46 and "P0003" not in {p["number"] for p in until.body["products"]}
