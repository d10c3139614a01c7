"""The per-connection limiter, on a fake clock: sleeping advances time instead of waiting."""

from __future__ import annotations

import asyncio

import pytest

from daemon.config.model import RateConfig
from daemon.http.ratelimit import RateLimiter, RateLimiters


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def limiter(fake: FakeTime, *, per_second: float = 2, burst: float = 3, concurrency: int = 4) -> RateLimiter:
    return RateLimiter(
        "shop-a", per_second=per_second, burst=burst, concurrency=concurrency, clock=fake.clock, sleep=fake.sleep
    )


async def entry_times(fake: FakeTime, rl: RateLimiter, count: int, cost: float = 1.0) -> list[float]:
    times = []
    for _ in range(count):
        async with rl.slot(cost):
            times.append(round(fake.now, 6))
    return times


async def test_burst_is_spent_at_once_then_the_rate_applies(fake):
    rl = limiter(fake, per_second=2, burst=3)
    assert await entry_times(fake, rl, 5) == [0, 0, 0, 0.5, 1.0]


async def test_idle_time_refills_only_up_to_the_burst(fake):
    rl = limiter(fake, per_second=2, burst=3)
    await entry_times(fake, rl, 3)
    fake.now = 100.0
    assert await entry_times(fake, rl, 4) == [100, 100, 100, 100.5]


async def test_concurrency_cap_holds_the_extra_request_until_a_slot_frees(fake):
    rl = limiter(fake, burst=10, concurrency=2)
    release = asyncio.Event()
    entered: list[int] = []

    async def hold(i: int) -> None:
        async with rl.slot():
            entered.append(i)
            await release.wait()

    tasks = [asyncio.create_task(hold(i)) for i in range(3)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert entered == [0, 1]
    assert not rl.busy  # waiting for answers in flight, not for the rate limit
    release.set()
    await asyncio.gather(*tasks)
    assert entered == [0, 1, 2]


async def test_pause_for_blocks_everyone_until_the_time_has_passed(fake):
    rl = limiter(fake, burst=10)
    rl.pause_for(5)
    assert rl.busy
    times: list[float] = []

    async def send() -> None:
        async with rl.slot():
            times.append(fake.now)

    await asyncio.gather(send(), send(), send())
    assert len(times) == 3 and min(times) >= 5
    assert not rl.busy


async def test_a_shorter_pause_does_not_cut_a_longer_one(fake):
    rl = limiter(fake)
    rl.pause_for(10)
    rl.pause_for(1)
    assert await entry_times(fake, rl, 1) == [10]


async def test_busy_when_the_bucket_is_empty_and_free_again_after_refill(fake):
    rl = limiter(fake, per_second=2, burst=2)
    await entry_times(fake, rl, 2)
    assert rl.busy
    fake.now += 0.5
    assert not rl.busy


async def test_remaining_zero_pauses_until_the_reported_reset(fake):
    rl = limiter(fake, burst=10)
    rl.observe_remaining(limit=480, remaining=0, reset_after_s=12)
    assert rl.busy
    assert await entry_times(fake, rl, 1) == [12]


async def test_remaining_zero_without_reset_pauses_one_request_share_of_the_minute(fake):
    rl = limiter(fake, burst=10)
    rl.observe_remaining(limit=60, remaining=0, reset_after_s=None)
    assert await entry_times(fake, rl, 1) == [1.0]


async def test_low_remaining_spreads_the_rest_over_the_time_to_the_reset_then_recovers(fake):
    rl = limiter(fake, per_second=8, burst=20)
    rl.observe_remaining(limit=480, remaining=3, reset_after_s=30)  # 3 left for 30 s: one per 10 s
    assert await entry_times(fake, rl, 4) == [0, 0, 0, 10]
    rl.observe_remaining(limit=480, remaining=479, reset_after_s=None)  # a new window: configured rate again
    fake.now += 100
    times = await entry_times(fake, rl, 21)
    assert times[-1] - times[0] == pytest.approx(1 / 8)


async def test_without_a_reset_time_remaining_caps_the_burst_and_the_quota_sets_the_pace(fake):
    rl = limiter(fake, per_second=8, burst=20)
    rl.observe_remaining(limit=60, remaining=5, reset_after_s=None)  # 60 a minute: one per second
    assert await entry_times(fake, rl, 7) == [0, 0, 0, 0, 0, 1, 2]


async def test_plenty_remaining_changes_nothing(fake):
    rl = limiter(fake, per_second=2, burst=3)
    rl.observe_remaining(limit=480, remaining=400, reset_after_s=None)
    rl.observe_remaining(limit=None, remaining=None, reset_after_s=None)
    assert await entry_times(fake, rl, 4) == [0, 0, 0, 0.5]


async def test_observe_points_turns_the_bucket_into_the_servers_points(fake):
    rl = limiter(fake, per_second=4, burst=8)
    rl.observe_points(currently_available=100, maximum_available=2000, restore_rate=100)
    assert await entry_times(fake, rl, 1, cost=100) == [0]  # spends the 100 available
    assert await entry_times(fake, rl, 1, cost=250) == [2.5]  # waits for 250 points at 100/s
    assert rl.busy  # nothing left right now


async def test_a_waiter_looks_again_when_the_server_reports_its_budget():
    """Waiting on the starting figures (here 12.5 s) must end when the first answer says points are there."""
    never = asyncio.Event()
    slept: list[float] = []

    async def sleep_forever(seconds: float) -> None:
        slept.append(seconds)
        await never.wait()

    rl = RateLimiter("shop-a", per_second=4, burst=8, concurrency=4, sleep=sleep_forever)
    async with rl.slot(50):  # spends more than the starting bucket holds
        pass
    waiter = asyncio.create_task(entry_times(FakeTime(), rl, 1, cost=50))
    await asyncio.sleep(0.01)
    assert not waiter.done() and slept and slept[0] > 10
    rl.observe_points(currently_available=990, maximum_available=1000, restore_rate=1000)
    await asyncio.wait_for(waiter, 1)


async def test_a_pause_reported_while_waiting_for_tokens_is_respected(fake):
    rl = limiter(fake, per_second=1, burst=1)
    await entry_times(fake, rl, 1)
    rl.pause_for(5)
    assert await entry_times(fake, rl, 1) == [5]


async def test_a_cost_above_capacity_waits_for_a_full_bucket_instead_of_forever(fake):
    rl = limiter(fake, per_second=1, burst=2)
    await entry_times(fake, rl, 2)
    assert await entry_times(fake, rl, 1, cost=5) == [2]


async def test_waiters_are_served_in_arrival_order(fake):
    rl = limiter(fake, per_second=1, burst=1)
    order: list[str] = []

    async def send(name: str, cost: float) -> None:
        async with rl.slot(cost):
            order.append(name)

    await asyncio.gather(send("a", 1), send("big", 3), send("b", 1), send("c", 1))
    assert order == ["a", "big", "b", "c"]


def test_limiters_report_busy_connections_by_name(fake):
    rackbeat = RateLimiter.from_config("rackbeat", RateConfig(per_second=8, burst=20, concurrency=8))
    holder = RateLimiters([limiter(fake), rackbeat])
    holder["shop-a"].pause_for(3)
    assert holder.busy_connections() == ["shop-a"]
    assert "rackbeat" in holder and holder.get("nope") is None
    with pytest.raises(ValueError):
        holder.add(limiter(fake))
