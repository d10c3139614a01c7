"""Per-token request limit in a fixed window, with Laravel's throttle headers and 429 answer.

Every /api answer carries ``X-RateLimit-Limit``/``X-RateLimit-Remaining``; over the limit the answer
is 429 ``{"message": "Too Many Attempts."}`` with ``Retry-After`` (seconds to the window's end) and
``X-RateLimit-Reset`` (epoch seconds) [inferred: Laravel default, notes §2].
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

from aiohttp import web

from .responses import reply

API_PREFIX = "/api"


@dataclass(frozen=True)
class Verdict:
    limit: int
    remaining: int
    reset_in: float
    reset_at: float
    allowed: bool

    def headers(self) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self.reset_in)))
            headers["X-RateLimit-Reset"] = str(math.ceil(self.reset_at))
        return headers


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._monotonic = monotonic
        self._wall = wall
        self._windows: dict[str, tuple[float, int]] = {}

    def _window(self, key: str) -> tuple[float, int]:
        now = self._monotonic()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self.window_s:
            start, count = now, 0
        return start, count

    def _verdict(self, start: float, count: int, allowed: bool) -> Verdict:
        reset_in = max(0.0, start + self.window_s - self._monotonic())
        return Verdict(self.limit, max(0, self.limit - count), reset_in, self._wall() + reset_in, allowed)

    def hit(self, key: str) -> Verdict:
        start, count = self._window(key)
        count += 1
        self._windows[key] = (start, count)
        return self._verdict(start, count, count <= self.limit)

    def refusal(self, key: str) -> Verdict:
        """A 429 verdict for the current window without counting (used for injected throttles)."""
        start, count = self._window(key)
        return self._verdict(start, max(count, self.limit), False)

    def middleware(self):
        @web.middleware
        async def limit(request: web.Request, handler):
            if not request.path.startswith(API_PREFIX):
                return await handler(request)
            verdict = self.hit(request.headers.get("Authorization", request.remote or ""))
            if not verdict.allowed:
                return too_many_attempts(verdict)
            response = await handler(request)
            response.headers.update(verdict.headers())
            return response

        return limit

    def throttled(self, request: web.Request) -> web.Response:
        return too_many_attempts(self.refusal(request.headers.get("Authorization", request.remote or "")))


def too_many_attempts(verdict: Verdict) -> web.Response:
    response = reply({"message": "Too Many Attempts."}, 429)
    response.headers.update(verdict.headers())
    return response
