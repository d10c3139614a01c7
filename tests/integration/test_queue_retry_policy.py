"""The backoff policy on its own: exponential ceiling, cap, full jitter, the server's Retry-After."""

from __future__ import annotations

import random

from daemon.queue import RetryPolicy


def test_ceiling_doubles_per_attempt_up_to_the_cap():
    policy = RetryPolicy(base_s=2, cap_s=900)
    assert [policy.ceiling(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert policy.ceiling(10) == 900
    assert policy.ceiling(10_000) == 900


def test_full_jitter_stays_between_zero_and_the_ceiling_and_spreads():
    policy = RetryPolicy(base_s=2, cap_s=900, rng=random.Random(7))
    delays = [policy.delay(5) for _ in range(500)]
    assert all(0 <= d <= 32 for d in delays)
    assert min(delays) < 8 and max(delays) > 24


def test_retry_after_wins_over_the_backoff():
    policy = RetryPolicy()
    assert policy.delay(3, retry_after=42.5) == 42.5
    assert policy.delay(3, retry_after=-1) == 0
