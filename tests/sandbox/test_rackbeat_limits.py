"""Rate limiting (headers, 429 + Retry-After) and injected faults."""

from __future__ import annotations

import aiohttp
import pytest

from daemon.sandbox.common import Faults
from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.rackbeat.harness import running
from daemon.sandbox.rackbeat.ratelimit import RateLimiter


LINE = {"item_id": "P0001", "quantity": 1}


async def test_rate_limit_headers_then_429_with_retry_after():
    async with running(RackbeatEmulator(rate_limit_per_min=3)) as rb:
        remaining = []
        for _ in range(3):
            answer = await rb.call("GET", "/products", params={"limit": "1"})
            assert answer.status == 206 and answer.headers["X-RateLimit-Limit"] == "3"
            remaining.append(answer.headers["X-RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]
        refused = await rb.call("GET", "/products")
        assert refused.status == 429 and refused.body == {"message": "Too Many Attempts."}
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["X-RateLimit-Remaining"] == "0" and int(refused.headers["X-RateLimit-Reset"]) > 0
        errors_count_too = await rb.call("GET", "/products/NOPE")
        assert errors_count_too.status == 429
        control = await rb.call("GET", "/_sandbox/state")
        assert control.status == 200  # the control API is not rate limited


def test_window_resets_after_its_length():
    now = [100.0]
    limiter = RateLimiter(2, 60.0, monotonic=lambda: now[0], wall=lambda: 1_000_000.0)
    assert [limiter.hit("t").allowed for _ in range(3)] == [True, True, False]
    now[0] += 45.0
    refused = limiter.hit("t")
    assert refused.headers()["Retry-After"] == "15" and refused.headers()["X-RateLimit-Reset"] == "1000015"
    assert limiter.hit("other").allowed  # per token
    now[0] += 15.0
    assert limiter.hit("t").remaining == 1


async def test_injected_errors_and_throttles_over_the_control_api():
    async with running(RackbeatEmulator()) as rb:
        assert (await rb.call("PUT", "/_sandbox/faults", json={"error_rate": 1})).status == 200
        failed = await rb.call("GET", "/products")
        assert failed.status == 503
        await rb.call("PUT", "/_sandbox/faults", json={"error_rate": 0, "throttle_rate": 1})
        throttled = await rb.call("GET", "/products")
        assert throttled.status == 429 and throttled.body == {"message": "Too Many Attempts."}
        assert int(throttled.headers["Retry-After"]) >= 1


async def test_commit_drop_on_order_create_keeps_the_order():
    emulator = RackbeatEmulator(faults=Faults(commit_drop_rate=1.0))
    async with running(emulator) as rb:
        assert (await rb.call("GET", "/orders")).status == 206  # reads are never dropped by commit_drop
        with pytest.raises(aiohttp.ClientError):
            await rb.call(
                "POST",
                "/orders",
                json={"customer_id": 1, "other_reference": "shop-77", "lines": [LINE]},
            )
        emulator.faults.commit_drop_rate = 0.0
        found = await rb.call("GET", "/orders", params={"simple_filter[other_reference]": "shop-77"})
        assert found.body["total"] == 1 and found.body["orders"][0]["is_booked"] is True
