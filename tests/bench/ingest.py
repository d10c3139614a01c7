"""Webhook ingest: the daemon's listener against a minimal verify-and-INSERT server, same database, same load.

20,000 signed Shopify deliveries at concurrency 64 from this process; each server runs in its own
spawned process so both get a whole interpreter. The daemon side is the listener app with a Database
and an InboxStore (not the full ``rackbeat-sync run``). ``ingest_lost`` counts acknowledged deliveries
whose inbox row is missing; ``ingest_jobs_missing`` counts inbox rows without their 'inbox' job.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import multiprocessing
import os
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import AsyncIterator, Awaitable, Callable

import aiohttp
import asyncpg
from aiohttp import web

from daemon.sandbox.common import free_port

DELIVERIES = 20_000
WARMUP = 500
CONCURRENCY = 64
ROUNDS = 4
POOL_SIZE = 16
SHOP_ID = "bench-shop"
SECRET = "bench-webhook-secret"


def _order_body(number: int) -> bytes:
    """A Shopify orders/create payload of realistic size (~2.5 KB)."""
    line = {
        "id": 0, "variant_id": 447654529, "product_id": 632910392, "title": "IPod Nano - 8gb", "quantity": 1,
        "sku": "IPOD2008GREEN", "price": "199.00", "grams": 200, "taxable": True, "requires_shipping": True,
        "fulfillment_status": None, "tax_lines": [{"title": "VAT", "price": "39.80", "rate": 0.25}],
        "price_set": {"shop_money": {"amount": "199.00", "currency_code": "DKK"}},
    }
    address = {"first_name": "Bob", "last_name": "Norman", "address1": "Chestnut Street 92", "city": "Louisville",
               "zip": "40202", "country_code": "US", "phone": "+1(502)-459-2181"}
    order = {
        "id": 820982911946154508 + number, "name": f"#{1000 + number}", "order_number": 1000 + number,
        "email": f"buyer{number}@example.com", "created_at": "2026-11-22T10:00:00+01:00",
        "updated_at": "2026-11-22T10:00:00+01:00", "currency": "DKK", "financial_status": "paid",
        "total_price": "597.00", "subtotal_price": "597.00", "total_tax": "119.40", "taxes_included": True,
        "line_items": [{**line, "id": 466157049 + number * 10 + i} for i in range(3)],
        "billing_address": address, "shipping_address": address,
        "shipping_lines": [{"code": "Standard", "price": "0.00", "title": "Standard"}],
        "customer": {"id": 207119551, "email": f"buyer{number}@example.com", "first_name": "Bob"},
        "note_attributes": [], "tags": "", "admin_graphql_api_id": f"gid://shopify/Order/{number}",
    }
    return json.dumps(order).encode()


def _request(number: int) -> tuple[str, bytes, dict[str, str]]:
    body = _order_body(number)
    webhook_id = str(uuid.uuid4())
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode(),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": f"{SHOP_ID}.myshopify.com",
        "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Event-Id": str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2026-11-22T09:00:00Z",
    }
    return webhook_id, body, headers


# --- servers (each in its own process) ---------------------------------------------------------------


async def _daemon_app(database_url: str):
    from daemon.config.model import Config
    from daemon.db.database import Database
    from daemon.logs.setup import configure_logging
    from daemon.webhooks.health import HealthReporter
    from daemon.webhooks.inbox import InboxStore
    from daemon.webhooks.server import build_webhook_app

    configure_logging("info", json=True, stream=open(os.devnull, "w"))  # log lines are rendered, then dropped
    config = Config.model_validate(
        {
            "rackbeat": {"token": "unused"},
            "shops": [{"id": SHOP_ID, "type": "shopify", "api_url": "https://x", "access_token": "unused",
                       "webhook_secret": SECRET}],
        }
    )
    database = Database(database_url, "", min_size=POOL_SIZE, max_size=POOL_SIZE)
    await database.start()
    return build_webhook_app(config, InboxStore(database), HealthReporter(database, config)), database.close


async def _reference_app(database_url: str):
    pool = await asyncpg.create_pool(database_url, min_size=POOL_SIZE, max_size=POOL_SIZE)
    await pool.execute(
        "CREATE TABLE IF NOT EXISTS reference_inbox (id bigserial PRIMARY KEY, delivery_id text, body bytea)"
    )

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        expected = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, request.headers.get("X-Shopify-Hmac-Sha256", "").encode()):
            return web.Response(status=401)
        delivery_id = request.headers["X-Shopify-Webhook-Id"]
        await pool.execute("INSERT INTO reference_inbox (delivery_id, body) VALUES ($1, $2)", delivery_id, body)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/webhooks/shopify/{shop_id}", receive)
    return app, pool.close


AppFactory = Callable[[str], Awaitable[tuple[web.Application, Callable[[], Awaitable[None]]]]]


def _serve(factory: AppFactory, database_url: str, port: int, ready, stop) -> None:
    async def main() -> None:
        app, close = await factory(database_url)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        await runner.cleanup()
        await close()

    asyncio.run(main())


# --- load ------------------------------------------------------------------------------------------------


@dataclass
class Load:
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    errors: int = 0

    @property
    def per_s(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s


async def _fire(url: str, requests: list[tuple[str, bytes, dict[str, str]]], load: Load) -> None:
    pending = iter(requests)

    async def worker(session: aiohttp.ClientSession) -> None:
        for delivery_id, body, headers in pending:
            started = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    ok = response.status == 200
            except aiohttp.ClientError:
                ok = False
            load.latencies_ms.append((time.perf_counter() - started) * 1000)
            if ok:
                load.acknowledged.append(delivery_id)
            else:
                load.errors += 1

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(CONCURRENCY)))
        load.elapsed_s += time.perf_counter() - started


@contextlib.asynccontextmanager
async def _server(factory: AppFactory, database_url: str) -> AsyncIterator[str]:
    """The app from ``factory`` in its own process; yields its webhook URL."""
    context = multiprocessing.get_context("spawn")
    ready, stop, port = context.Event(), context.Event(), free_port()
    process = context.Process(target=_serve, args=(factory, database_url, port, ready, stop), daemon=True)
    process.start()
    try:
        if not await asyncio.get_running_loop().run_in_executor(None, ready.wait, 120):
            raise RuntimeError(f"{factory.__name__} did not start")
        yield f"http://127.0.0.1:{port}/webhooks/shopify/{SHOP_ID}"
    finally:
        stop.set()
        process.join(30)
        if process.is_alive():
            process.kill()


def _percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=1000)[round(fraction * 1000) - 1]


async def _missing(database_url: str, acknowledged: list[str]) -> tuple[int, int]:
    conn = await asyncpg.connect(database_url)
    try:
        lost = await conn.fetchval(
            """SELECT count(*) FROM unnest($1::text[]) AS a(delivery_id)
               WHERE NOT EXISTS (SELECT 1 FROM inbox i WHERE i.source = 'shopify' AND i.connection = $2
                                 AND i.delivery_id = a.delivery_id)""",
            acknowledged,
            SHOP_ID,
        )
        jobless = await conn.fetchval(
            """SELECT count(*) FROM inbox i WHERE NOT EXISTS
               (SELECT 1 FROM jobs j WHERE j.kind = 'inbox' AND (j.payload->>'inbox_id')::bigint = i.id)"""
        )
    finally:
        await conn.close()
    return lost, jobless


async def run(database_url: str) -> dict[str, float | int]:
    """Both servers run throughout; rounds alternate between them so load from elsewhere hits both alike."""
    requests = [_request(n) for n in range(WARMUP + DELIVERIES)]
    warmup, rounds = requests[:WARMUP], [requests[WARMUP + r :: ROUNDS] for r in range(ROUNDS)]
    daemon, reference, warm = Load(), Load(), Load()
    async with _server(_daemon_app, database_url) as daemon_url, _server(_reference_app, database_url) as reference_url:
        await _fire(daemon_url, warmup, warm)
        await _fire(reference_url, warmup, Load())
        for batch in rounds:
            await _fire(daemon_url, batch, daemon)
            await _fire(reference_url, batch, reference)
    lost, jobless = await _missing(database_url, warm.acknowledged + daemon.acknowledged)
    return {
        "ingest_accepted_per_s": daemon.per_s,
        "ingest_reference_per_s": reference.per_s,
        "ingest_ratio": daemon.per_s / reference.per_s,
        "ingest_p50_ms": _percentile(daemon.latencies_ms, 0.50),
        "ingest_p99_ms": _percentile(daemon.latencies_ms, 0.99),
        "ingest_errors": daemon.errors + warm.errors,
        "ingest_reference_errors": reference.errors,
        "ingest_lost": lost,
        "ingest_jobs_missing": jobless,
    }
