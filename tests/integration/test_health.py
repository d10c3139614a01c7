"""``GET /healthz`` over real HTTP: queue depth, pollers and webhook arrival, or 503 without a database."""

from __future__ import annotations

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.sandbox.common import serve
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import InboxStore
from daemon.webhooks.server import build_webhook_app


@pytest.fixture
def config() -> Config:
    return Config.model_validate(
        {
            "rackbeat": {"token": "rb-api-token", "webhook_token": "T" * 32},
            "shops": [
                {"id": "shop-a", "type": "shopify", "api_url": "https://a", "access_token": "x",
                 "webhook_secret": "s1"},
                {"id": "woo-b", "type": "woocommerce", "api_url": "https://b", "consumer_key": "k",
                 "consumer_secret": "c", "webhook_secret": "s2"},
            ],
        }
    )


@pytest.fixture
async def healthz(db, config):
    app = build_webhook_app(config, InboxStore(db), HealthReporter(db, config, timeout=1.0))
    async with serve(app) as base_url, aiohttp.ClientSession() as session:

        async def get() -> tuple[int, dict]:
            async with session.get(base_url + "/healthz") as response:
                return response.status, await response.json()

        yield get


async def test_healthz_reports_queue_pollers_and_webhooks(db, healthz):
    inbox = InboxStore(db)
    await inbox.store("shopify", "shop-a", "w1", "orders/create", b"{}", {})
    await inbox.store("poll", "woo-b", "p1", "shop.order", b"{}", {})
    await db.pool.execute(
        """INSERT INTO jobs (kind, state) VALUES ('x', 'running'), ('x', 'failed'), ('x', 'done'), ('x', 'done');
           INSERT INTO poll_cursors (connection, stream, last_run_at, last_success_at, last_error)
           VALUES ('woo-b', 'orders', '2026-11-22T10:05:00Z', '2026-11-22T10:00:00Z', 'HTTP 502 from shop')"""
    )
    received_at = await db.pool.fetchval("SELECT received_at FROM inbox WHERE delivery_id = 'w1'")

    status, body = await healthz()

    assert status == 200
    assert body["status"] == "ok" and body["database"] is True
    assert {k: body["queue"][k] for k in ("pending", "running", "failed", "done")} == {
        "pending": 2, "running": 1, "failed": 1, "done": 2
    }
    assert body["pollers"] == [
        {
            "connection": "woo-b",
            "stream": "orders",
            "last_success_at": "2026-11-22T10:00:00+00:00",
            "last_run_at": "2026-11-22T10:05:00+00:00",
            "last_error": "HTTP 502 from shop",
        }
    ]
    assert body["webhooks"] == {
        "shop-a": {"last_received_at": received_at.isoformat()},
        "woo-b": {"last_received_at": None},
        "rackbeat": {"last_received_at": None},
    }


async def test_healthz_is_503_when_the_database_is_unreachable(db, healthz):
    await db.pool.close()
    assert await healthz() == (503, {"status": "unavailable", "database": False})
