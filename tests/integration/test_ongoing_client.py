"""The Ongoing client against the emulator: one request at a time, id-cursor pages, typed errors."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.connectors.ongoing import create_ongoing_clients
from daemon.connectors.ongoing.pagination import iter_by_id
from daemon.errors import TerminalApiError
from daemon.http.ratelimit import RateLimiters
from daemon.sandbox.common import serve
from daemon.sandbox.ongoing import OngoingEmulator


def config(api_url: str, password: str) -> Config:
    return Config.model_validate(
        {
            "rackbeat": {"token": "t"},
            "ongoing": [{"id": "wms", "api_url": api_url, "user": "WSI-sandbox", "password": password,
                         "goods_owner_id": 1, "location": 2}],
        }
    )  # fmt: skip


@pytest.fixture
async def served():
    emulator = OngoingEmulator()
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield emulator, base_url + emulator.prefix, session


async def test_one_request_at_a_time_and_every_page(served):
    emulator, api_url, session = served
    limiters = RateLimiters()
    client = create_ongoing_clients(config(api_url, emulator.password), session, limiters)["wms"]
    assert "ongoing:wms" in limiters

    ids = await asyncio.gather(*(client.upsert_article({"articleNumber": f"A{i}", "articleName": f"A {i}"}) for i in range(7)))
    assert emulator.max_concurrency_seen == 1 and len(set(ids)) == 7

    pages = [
        [article["articleNumber"] for article in page]
        async for page in iter_by_id(
            client.api, "/articles", {"goodsOwnerId": 1}, id_from="articleSystemIdFrom",
            max_to_get="maxArticlesToGet", id_of=lambda a: a["articleSystemId"], page_size=3,
        )
    ]  # fmt: skip
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sorted(sum(pages, [])) == [f"A{i}" for i in range(7)]
    assert len([a async for page in client.articles() for a in page]) == 7


async def test_wrong_password_is_terminal(served):
    emulator, api_url, session = served
    client = create_ongoing_clients(config(api_url, "wrong"), session, RateLimiters())["wms"]
    with pytest.raises(TerminalApiError) as failed:
        await client.order_statuses()
    assert failed.value.status == 401
