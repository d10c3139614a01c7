"""Per-connection request budget: a token bucket plus a concurrency cap, adapted from server feedback.

Configured numbers are only a starting point; what the server reports wins (Retry-After, Rackbeat's
``X-RateLimit-*``, Shopify's GraphQL ``throttleStatus``), so the daemon stays just under each API's
real limit instead of discovering it through 429s. ``busy`` lets the job queue skip a throttled
connection when claiming work, so one slow shop never occupies the workers the others need.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import AsyncIterator, Awaitable, Callable, Iterable

import structlog

from daemon.config.model import RateConfig

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_EPSILON = 1e-9


class RateLimiter:
    """Token bucket (``per_second``, ``burst``) and a concurrency cap for one connection.

    Waiters for tokens queue behind an asyncio lock, which is FIFO, so a large request cannot be
    starved by a stream of small ones; the concurrency semaphore is FIFO as well. ``quota_window_s``
    is the window a server's ``X-RateLimit-Limit`` counts in, which no header states (Rackbeat and
    Laravel count per minute; emulators may shorten it).
    """

    def __init__(
        self,
        name: str,
        *,
        per_second: float,
        burst: float,
        concurrency: int,
        quota_window_s: float = 60.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if per_second <= 0 or burst <= 0 or concurrency < 1:
            raise ValueError(f"rate limiter {name!r}: per_second, burst and concurrency must be positive")
        self.name = name
        self._quota_window_s = quota_window_s
        self._base_rate = per_second
        self._rate = per_second
        self._capacity = burst
        self._level = burst
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._paused_until = float("-inf")
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._turn = asyncio.Lock()
        self._reported = asyncio.Event()  # set by each server report, so a waiter looks again
        self._log = structlog.get_logger(connection=name)  # lazy: follows later logging setup

    @classmethod
    def from_config(cls, name: str, rate: RateConfig, **kwargs) -> RateLimiter:
        return cls(name, per_second=rate.per_second, burst=rate.burst, concurrency=rate.concurrency, **kwargs)

    @contextlib.asynccontextmanager
    async def slot(self, cost: float = 1.0) -> AsyncIterator[None]:
        """Hold one concurrency slot and spend ``cost`` tokens for the duration of one request."""
        async with self._slots:
            await self._take(cost)
            yield

    @property
    def busy(self) -> bool:
        """True at the rate limit: paused, or no tokens left. Every slot taken is not busy: a request
        then only waits for answers in flight, and the jobs of one connection are capped anyway."""
        now = self._clock()
        if now < self._paused_until or self._turn.locked():
            return True
        self._refill(now)
        return self._level < min(1.0, self._capacity)

    @property
    def paused_for(self) -> float:
        """Seconds until the server-requested pause ends; 0 when there is none."""
        return max(0.0, self._paused_until - self._clock())

    def pause_for(self, seconds: float) -> None:
        """The server asked for silence (Retry-After, 429): nobody on this connection sends until then."""
        until = self._clock() + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self._reported.set()
            self._log.debug("ratelimit.pause", seconds=round(seconds, 3))

    def observe_remaining(self, limit: int | None, remaining: int | None, reset_after_s: float | None) -> None:
        """Follow a fixed-window quota (``X-RateLimit-Limit/-Remaining``).

        Never more at once than what remains, never faster than what remains spread over the time to
        the reset (or, when the server does not say when that is, than the quota's average pace).
        Nothing left: pause until the reset; when it is unknown only for one request's share of the
        window, and let the 429's Retry-After, which is exact, say the rest.
        """
        if remaining is None:
            return
        self._refill(self._clock())
        if remaining <= 0:
            self.pause_for(reset_after_s if reset_after_s is not None else self._quota_window_s / max(limit or 1, 1))
            return
        if reset_after_s:
            allowed = remaining / reset_after_s
        elif limit:
            allowed = limit / self._quota_window_s
        else:
            allowed = self._base_rate
        self._rate = min(self._base_rate, allowed)
        self._level = min(self._level, float(remaining))
        self._reported.set()

    def observe_points(self, currently_available: float, maximum_available: float, restore_rate: float) -> None:
        """Take over a leaky bucket of points (Shopify GraphQL ``throttleStatus``) as this bucket."""
        if maximum_available <= 0 or restore_rate <= 0:
            return
        self._refill(self._clock())
        self._capacity = maximum_available
        self._rate = restore_rate
        self._level = min(currently_available, maximum_available)
        self._reported.set()

    async def _take(self, cost: float) -> None:
        async with self._turn:
            while (wait := self._wait_for(cost)) > 0:
                await self._sleep_until_report(wait)
            self._level -= cost

    async def _sleep_until_report(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if the server reports its budget meanwhile: a wait computed from
        the configured starting figures (or a pause) may be far off what the server then says."""
        self._reported.clear()
        reported = asyncio.ensure_future(self._reported.wait())
        slept = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait((reported, slept), return_when=asyncio.FIRST_COMPLETED)
        finally:
            reported.cancel()
            slept.cancel()

    def _wait_for(self, cost: float) -> float:
        """Seconds until ``cost`` can be spent; a cost above capacity waits for a full bucket."""
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        self._refill(now)
        missing = min(cost, self._capacity) - self._level
        return 0.0 if missing <= _EPSILON else missing / self._rate

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._level = min(self._capacity, self._level + elapsed * self._rate)
        self._updated = now


class RateLimiters:
    """Every connection's limiter by name; the job queue asks which connections to skip."""

    def __init__(self, limiters: Iterable[RateLimiter] = ()) -> None:
        self._by_name: dict[str, RateLimiter] = {}
        for limiter in limiters:
            self.add(limiter)

    def add(self, limiter: RateLimiter) -> RateLimiter:
        if limiter.name in self._by_name:
            raise ValueError(f"duplicate rate limiter {limiter.name!r}")
        self._by_name[limiter.name] = limiter
        return limiter

    def get(self, name: str) -> RateLimiter | None:
        return self._by_name.get(name)

    def __getitem__(self, name: str) -> RateLimiter:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def concurrency(self) -> dict[str, int]:
        """Requests each connection may have in flight at once."""
        return {name: limiter.concurrency for name, limiter in self._by_name.items()}

    def busy_connections(self) -> list[str]:
        return [name for name, limiter in self._by_name.items() if limiter.busy]
