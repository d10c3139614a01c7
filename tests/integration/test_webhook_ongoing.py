"""Ongoing WMS webhooks: a static X-Auth-Token per warehouse; accepted deliveries land in the inbox."""

from __future__ import annotations

import json

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.sandbox.common import serve
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import InboxStore
from daemon.webhooks.server import build_webhook_app

TOKEN = "ongoing-static-token-1"


def config(token: str | None) -> Config:
    warehouse = {"id": "3pl", "api_url": "https://api.example/wh/api/v1", "user": "WSI-x", "password": "p",
                 "goods_owner_id": 1, "location": 2}
    if token:
        warehouse["webhook_token"] = token
    return Config.model_validate({"rackbeat": {"token": "rb"}, "ongoing": [warehouse]})


@pytest.fixture
async def post(db):
    async def send(path: str, body: bytes, headers: dict, token_configured: str | None = TOKEN):
        cfg = config(token_configured)
        app = build_webhook_app(cfg, InboxStore(db), HealthReporter(db, cfg))
        async with serve(app) as url, aiohttp.ClientSession() as session:
            async with session.post(f"{url}{path}", data=body, headers=headers) as response:
                return response.status

    return send


BODY = json.dumps({"goodsOwnerId": 1, "goodsOwnerOrderId": "1042", "orderStatus": {"number": 450}}).encode()


async def test_a_delivery_with_the_token_is_stored_once_for_the_ongoing_flow(post, db):
    headers = {"X-Auth-Token": TOKEN, "Content-Type": "application/json"}
    assert await post("/webhooks/ongoing/3pl", BODY, headers) == 200
    assert await post("/webhooks/ongoing/3pl", BODY, headers) == 200  # Ongoing retries: stored once
    rows = await db.pool.fetch("SELECT source, connection, topic, status FROM inbox")
    assert [dict(r) for r in rows] == [
        {"source": "ongoing", "connection": "ongoing:3pl", "topic": "order", "status": "received"}
    ]
    assert await db.pool.fetchval("SELECT count(*) FROM jobs WHERE kind = 'inbox'") == 1


@pytest.mark.parametrize(
    "path,headers,configured,status",
    [
        ("/webhooks/ongoing/3pl", {"X-Auth-Token": "wrong"}, TOKEN, 401),
        ("/webhooks/ongoing/3pl", {}, TOKEN, 401),
        ("/webhooks/ongoing/3pl", {"X-Auth-Token": TOKEN}, None, 404),
        ("/webhooks/ongoing/other", {"X-Auth-Token": TOKEN}, TOKEN, 404),
    ],
)
async def test_refused_deliveries_store_nothing(post, db, path, headers, configured, status):
    assert await post(path, BODY, headers, configured) == status
    assert await db.pool.fetchval("SELECT count(*) FROM inbox") == 0
