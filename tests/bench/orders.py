"""Orders end to end: the real daemon (``rackbeat-sync run`` on config/sandbox.toml) against the sandbox
emulators in this process, with Rackbeat's quota at 6,000 requests a minute as a real account has it
and the daemon's Rackbeat budget configured to match (100/s; the example config's 8/s is for 480/min).

First 100 orders one at a time, well under the quota, for the latency from webhook receipt (the inbox
row) to the Rackbeat order (its ``created_at``): ``orders_latency_p50_ms``/``p99``. Then 2,000 orders
in a burst across the three shops:

- ``orders_per_s``: burst orders over the time from the first webhook received to the last Rackbeat order;
- ``orders_rackbeat_requests_per_order``: Rackbeat requests (every answer, 429s too) per burst order;
- ``orders_rate_limit_share``: Rackbeat requests per second while a backlog exists (an order received
  but not yet in Rackbeat), over the quota's 100/s;
- ``orders_duplicates`` (extra Rackbeat orders for one shop order) and ``orders_lost`` (never arrived).

The shops are polled once an hour only, so every order travels by webhook: one whose webhooks all
failed counts as lost. Requests are counted on the emulator's side, by a middleware put in front of the Rackbeat emulator's
app before it is served; nothing is added to the emulator itself.
"""

from __future__ import annotations

import asyncio
import bisect
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from daemon.sandbox.rackbeat.ratelimit import API_PREFIX
from daemon.sandbox.storefronts import PlacedOrder
from daemon.sandbox.world import SandboxWorld
from daemon.sync.order_flow.links import reference_for
from tests.e2e import ledger
from tests.e2e.shoppers import Shoppers
from tests.e2e.stack import Daemons, rackbeat_rate, sandbox_overrides, sandbox_world
from tests.integration.waiting import wait_until

QUOTA_PER_MIN = 6_000
DAEMON_RATE = rackbeat_rate(per_second=QUOTA_PER_MIN / 60, burst=20, concurrency=16)
DAEMON_WORKERS = 32
TRICKLE, TRICKLE_PER_S = 100, 5.0
BURST = 2_000
POLL_INTERVAL_S = 3600  # webhooks only: a poll re-reading the burst would compete for the shops' budget
DRAIN_TIMEOUT_S = 600.0
REAL_TIME = 1.0  # Woo's delivery timeout follows the clock: scaled to 1 s, slow answers in a burst disable its webhooks


class RequestLog:
    """When each Rackbeat /api request arrived (``time.time()``, so in order), as the emulator saw it."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def attach(self, app: web.Application) -> None:
        @web.middleware
        async def record(request: web.Request, handler):
            if request.path.startswith(API_PREFIX):
                self.times.append(time.time())
            return await handler(request)

        app.middlewares.insert(0, record)  # outermost: sees the requests refused by the quota, too

    def between(self, start: float, end: float) -> int:
        return bisect.bisect_left(self.times, end) - bisect.bisect_left(self.times, start)


async def run(database_url: str) -> dict[str, float | int]:
    world = sandbox_world(rackbeat_limit=QUOTA_PER_MIN, rackbeat_window_s=60.0, clock_scale=REAL_TIME)
    requests = RequestLog()
    requests.attach(world.rackbeat.app)
    with tempfile.TemporaryDirectory(prefix="rbsync-bench-orders-") as workdir:
        async with world, aiohttp.ClientSession() as session:
            env = {
                **sandbox_overrides(world, database_url, poll_interval_s=POLL_INTERVAL_S),
                **DAEMON_RATE,
                "RACKBEAT_SYNC__DAEMON__WORKERS": str(DAEMON_WORKERS),
            }
            daemons = Daemons(Path(workdir), env)
            try:
                await daemons.start()  # it subscribes to the shops' webhooks itself
                return await _measure(world, session, database_url, requests)
            finally:
                await daemons.close(show_logs=False)


async def _measure(world: SandboxWorld, session, database_url: str, requests: RequestLog) -> dict[str, float | int]:
    shoppers = Shoppers(world, session, seed=2000)
    trickle = await shoppers.place(TRICKLE, per_second=TRICKLE_PER_S, concurrency=1)
    await _drain(world, database_url, trickle)
    mark = time.time()
    burst = await shoppers.place(BURST, concurrency=16)
    await _drain(world, database_url, [*trickle, *burst])
    received = await _first_webhooks(database_url)
    found = ledger.rackbeat_orders(world)
    burst_refs = [ledger.reference(order) for order in burst]
    created = {ref: found[ref][0].created_at.timestamp() for ref in burst_refs if ref in found}
    start = min(received[ref] for ref in burst_refs if ref in received)
    end = max(created.values(), default=start)
    backlog_s, backlog_requests = _backlog(
        [received[ref] for ref in burst_refs if ref in received], list(created.values()), requests
    )
    latencies = [
        (found[ref][0].created_at.timestamp() - received[ref]) * 1000
        for ref in map(ledger.reference, trickle)
        if ref in found and ref in received
    ]
    return {
        "orders_per_s": len(created) / max(end - start, 1e-9),
        "orders_rackbeat_requests_per_order": requests.between(mark, end + 1) / BURST,
        "orders_rate_limit_share": backlog_requests / max(backlog_s, 1e-9) / (QUOTA_PER_MIN / 60),
        "orders_latency_p50_ms": statistics.median(latencies),
        "orders_latency_p99_ms": statistics.quantiles(latencies, n=100)[98],
        "orders_duplicates": sum(len(documents) - 1 for documents in found.values()),
        "orders_lost": sum(ref not in found for ref in map(ledger.reference, [*trickle, *burst])),
    }


async def _drain(world: SandboxWorld, database_url: str, orders: list[PlacedOrder]) -> None:
    """Until every order is in Rackbeat and no transfer job is left, or the timeout (the rest count as lost)."""

    async def drained() -> bool:
        return ledger.all_in_rackbeat(world, orders) and await ledger.settled(database_url, 0)

    try:
        await wait_until(drained, DRAIN_TIMEOUT_S, step=0.5)
    except asyncio.TimeoutError:
        pass


async def _first_webhooks(database_url: str) -> dict[str, float]:
    """When the daemon first received a webhook about each order (epoch seconds), by reference."""
    first: dict[str, float] = {}
    for arrival in await ledger.arrivals(database_url):
        if arrival.source != "poll":
            ref = reference_for(arrival.shop_id, arrival.order_id)
            first[ref] = min(first.get(ref, float("inf")), arrival.received_at.timestamp())
    return first


def _backlog(arrived: list[float], created: list[float], requests: RequestLog) -> tuple[float, int]:
    """Seconds during which some order had arrived but was not yet in Rackbeat, and the requests in them."""
    events = sorted([(t, 1) for t in arrived] + [(t, -1) for t in created])
    waiting, since, seconds, counted = 0, 0.0, 0.0, 0
    for at, change in events:
        if waiting > 0:
            seconds += at - since
            counted += requests.between(since, at)
        waiting += change
        since = at
    return seconds, counted
