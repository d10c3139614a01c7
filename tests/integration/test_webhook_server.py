"""The listener over real HTTP on a real PostgreSQL: what is stored, what is answered, what is logged."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json

import aiohttp
import asyncpg
import pytest
import structlog

from daemon.config.model import Config
from daemon.logs.setup import configure_logging
from daemon.sandbox.common import serve
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import InboxStore
from daemon.webhooks.server import build_webhook_app

SHOPIFY_SECRET = "shopify-webhook-secret-1"
WOO_SECRET = "woo-webhook-secret-2"
RACKBEAT_TOKEN = "R" * 32
MAX_BODY = 4096


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def make_config() -> Config:
    return Config.model_validate(
        {
            "daemon": {"webhook_max_body": MAX_BODY},
            "rackbeat": {"token": "rb-api-token", "webhook_token": RACKBEAT_TOKEN},
            "shops": [
                {"id": "shop-a", "type": "shopify", "api_url": "https://a.example", "access_token": "x",
                 "webhook_secret": SHOPIFY_SECRET},
                {"id": "woo-b", "type": "woocommerce", "api_url": "https://b.example", "consumer_key": "ck",
                 "consumer_secret": "cs", "webhook_secret": WOO_SECRET},
            ],
        }
    )


def shopify_headers(body: bytes, webhook_id: str = "wh-1", topic: str = "orders/create") -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body),
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": "shop-a.myshopify.com",
        "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Event-Id": "ev-1",
        "X-Shopify-Triggered-At": "2026-11-22T10:00:00Z",
    }


class Logs:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self, event: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in self.stream.getvalue().splitlines()]
        return [p for p in parsed if event is None or p["event"] == event]


@pytest.fixture
def logs():
    captured = Logs()
    configure_logging("debug", json=True, stream=captured.stream)
    yield captured
    structlog.reset_defaults()


@pytest.fixture
async def post(db):
    config = make_config()
    app = build_webhook_app(config, InboxStore(db), HealthReporter(db, config))
    async with serve(app) as base_url, aiohttp.ClientSession() as session:

        async def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
            async with session.post(base_url + path, data=body, headers=headers) as response:
                return response.status, await response.text()

        yield send


async def inbox_rows(db) -> list[dict]:
    return [dict(r) for r in await db.pool.fetch("SELECT * FROM inbox ORDER BY id")]


async def jobs(db) -> list[dict]:
    return [dict(r) for r in await db.pool.fetch("SELECT kind, connection, payload::text FROM jobs ORDER BY id")]


async def test_valid_shopify_delivery_is_stored_with_its_job_before_200(db, post, logs):
    body = b'{"id": 820982911946154508, "email": "jon@example.com"}'
    assert await post("/webhooks/shopify/shop-a", body, shopify_headers(body)) == (200, "ok")

    [row] = await inbox_rows(db)
    assert (row["source"], row["connection"], row["delivery_id"], row["topic"], row["status"]) == (
        "shopify", "shop-a", "wh-1", "orders/create", "received"
    )
    assert row["body"] == body
    headers = json.loads(row["headers"])
    assert headers["X-Shopify-Event-Id"] == "ev-1" and headers["X-Shopify-API-Version"] == "2025-10"
    assert not any("hmac" in name.lower() for name in headers)
    assert await jobs(db) == [
        {"kind": "inbox", "connection": None, "payload": json.dumps({"inbox_id": row["id"]})}
    ]
    [line] = logs.lines("webhook.received")
    assert line["level"] == "info" and line["connection"] == "shop-a" and line["topic"] == "orders/create"
    assert line["delivery_id"] == "wh-1" and line["inbox_id"] == row["id"] and line["duplicate"] is False


async def test_valid_woocommerce_delivery_is_stored(db, post):
    body = b'{"id":727,"status":"processing","billing":{"email":"a\\/b@example.com"}}'
    headers = {
        "X-WC-Webhook-Signature": sign(WOO_SECRET, body),
        "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Event": "updated",
        "X-WC-Webhook-ID": "31",
        "X-WC-Webhook-Delivery-ID": "d41d8cd98f00b204",
        "X-WC-Webhook-Source": "https://b.example/",
    }
    assert (await post("/webhooks/woocommerce/woo-b", body, headers))[0] == 200
    [row] = await inbox_rows(db)
    assert (row["source"], row["connection"], row["delivery_id"], row["topic"]) == (
        "woocommerce", "woo-b", "d41d8cd98f00b204", "order.updated"
    )
    assert "X-WC-Webhook-Signature" not in json.loads(row["headers"])
    assert len(await jobs(db)) == 1


async def test_woocommerce_unsigned_ping_is_answered_and_not_stored(db, post):
    status, _ = await post(
        "/webhooks/woocommerce/woo-b", b"webhook_id=31", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200
    assert await inbox_rows(db) == [] and await jobs(db) == []


async def test_rackbeat_token_accepted_and_refused(db, post, logs):
    body = b'{"key": 1001, "key_name": "number", "event": "inventory.changed", "data": {"number": "1001"}}'
    ok = {"Rackbeat-Webhook-Token": RACKBEAT_TOKEN, "Rackbeat-Webhook-Event": "inventory.changed"}
    assert (await post("/webhooks/rackbeat", body, ok))[0] == 200
    assert (await post("/webhooks/rackbeat", body, {"Rackbeat-Webhook-Token": "W" * 32}))[0] == 401

    [row] = await inbox_rows(db)
    assert (row["source"], row["connection"], row["topic"]) == ("rackbeat", "rackbeat", "inventory.changed")
    assert row["delivery_id"].startswith("inventory.changed:1001:")
    assert json.loads(row["headers"]) == {"Rackbeat-Webhook-Event": "inventory.changed"}
    [refused] = logs.lines("webhook.refused")
    assert refused["connection"] == "rackbeat" and refused["reason"] == "bad token"
    assert RACKBEAT_TOKEN not in logs.stream.getvalue() and "W" * 32 not in logs.stream.getvalue()


@pytest.mark.parametrize(
    "signature, reason",
    [(None, "missing signature"), (sign("not-the-secret", b"{}"), "bad signature"), ("", "missing signature")],
)
async def test_bad_or_missing_signature_is_refused_and_nothing_stored(db, post, logs, signature, reason):
    body = b'{"id": 1}'
    headers = shopify_headers(body)
    headers.pop("X-Shopify-Hmac-Sha256")
    if signature is not None:
        headers["X-Shopify-Hmac-Sha256"] = signature
    assert await post("/webhooks/shopify/shop-a", body, headers) == (401, reason)

    assert await inbox_rows(db) == [] and await jobs(db) == []
    [line] = logs.lines()
    assert line["event"] == "webhook.refused" and line["level"] == "warning"
    assert line["connection"] == "shop-a" and line["reason"] == reason
    output = logs.stream.getvalue()
    assert SHOPIFY_SECRET not in output
    assert not signature or signature not in output


@pytest.mark.parametrize("path", ["/webhooks/shopify/nope", "/webhooks/shopify/woo-b", "/webhooks/woocommerce/shop-a"])
async def test_unknown_shop_or_shop_of_the_other_type_is_404(db, post, path):
    body = b"{}"
    assert (await post(path, body, shopify_headers(body)))[0] == 404
    assert await inbox_rows(db) == []


async def test_body_over_the_limit_is_413_and_not_stored(db, post, logs):
    body = json.dumps({"note": "x" * MAX_BODY}).encode()
    assert (await post("/webhooks/shopify/shop-a", body, shopify_headers(body)))[0] == 413
    assert await inbox_rows(db) == []
    assert logs.lines("webhook.refused")[0]["reason"] == "body too large"


@pytest.mark.parametrize(
    "body, reason",
    [(b"<html>oops</html>", "body is not JSON"), (b'["not", "an", "object"]', "body is JSON but not an object")],
)
async def test_signed_but_malformed_body_is_kept_as_rejected_without_a_job(db, post, logs, body, reason):
    assert (await post("/webhooks/shopify/shop-a", body, shopify_headers(body, webhook_id="wh-bad")))[0] == 200

    [row] = await inbox_rows(db)
    assert row["status"] == "rejected" and row["reason"].startswith(reason) and row["body"] == body
    assert await jobs(db) == []
    [line] = logs.lines("webhook.rejected")
    assert line["level"] == "warning" and line["connection"] == "shop-a" and line["topic"] == "orders/create"
    assert line["delivery_id"] == "wh-bad" and line["reason"].startswith(reason)


async def test_duplicate_delivery_is_stored_once_with_one_job(db, post, logs):
    body = b'{"id": 5}'
    headers = shopify_headers(body, webhook_id="wh-dup")
    answers = await asyncio.gather(*(post("/webhooks/shopify/shop-a", body, headers) for _ in range(8)))
    answers.append(await post("/webhooks/shopify/shop-a", body, headers))

    assert {status for status, _ in answers} == {200}
    assert len(await inbox_rows(db)) == 1 and len(await jobs(db)) == 1
    assert sorted(line["duplicate"] for line in logs.lines("webhook.received")) == [False] + [True] * 8


async def test_same_delivery_id_from_another_shop_is_not_a_duplicate(db, post):
    body = b"{}"
    await post("/webhooks/shopify/shop-a", body, shopify_headers(body, webhook_id="same"))
    woo_headers = {"X-WC-Webhook-Signature": sign(WOO_SECRET, body), "X-WC-Webhook-Topic": "order.created",
                   "X-WC-Webhook-Delivery-ID": "same"}
    await post("/webhooks/woocommerce/woo-b", body, woo_headers)
    assert len(await inbox_rows(db)) == 2 and len(await jobs(db)) == 2


async def test_database_unreachable_answers_503_and_acknowledges_nothing(db, post, logs):
    await db.pool.close()
    body = b'{"id": 9}'
    status, _ = await post("/webhooks/shopify/shop-a", body, shopify_headers(body))
    assert status == 503
    assert logs.lines("webhook.store_failed")[0]["connection"] == "shop-a"
    assert logs.lines("webhook.received") == []
    conn = await asyncpg.connect(db.dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM inbox") == 0
    finally:
        await conn.close()


async def test_database_refusing_the_row_answers_500_and_acknowledges_nothing(db, post, logs):
    await db.pool.execute("ALTER TABLE inbox ADD CONSTRAINT closed CHECK (false) NOT VALID")
    body = b'{"id": 10}'
    assert (await post("/webhooks/shopify/shop-a", body, shopify_headers(body)))[0] == 500
    assert "closed" in logs.lines("webhook.store_failed")[0]["error"]
    assert await jobs(db) == []
