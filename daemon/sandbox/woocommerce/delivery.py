"""Getting webhook requests out: an Action Scheduler stand-in and the Hookshot HTTP client.

WooCommerce queues one pending delivery per (webhook, resource) and builds the payload when the job runs,
so several changes made before the runner gets to it arrive as one delivery with the latest state. Tests
can hold the queue (``paused``) to make that deterministic, or flush it with ``drain``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from typing import Awaitable, Callable, Hashable

import aiohttp

from ..common import Clock

USER_AGENT = "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)"
DELIVERY_TIMEOUT_S = 60.0  # WC_Webhook::deliver
PING_TIMEOUT_S = 5.0  # wp_safe_remote_post default

Job = Callable[[], Awaitable[None]]


def signature(body: bytes, secret: str) -> str:
    """``X-WC-Webhook-Signature``: base64 HMAC-SHA256 of the exact body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class DeliveryQueue:
    """Pending jobs keyed for coalescing; each runs ``delay`` (clock-scaled) seconds after it was queued."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.delay = 0.0
        self.paused = False
        self._pending: dict[Hashable, Job] = {}
        self._timers: dict[Hashable, asyncio.Task] = {}
        self._running: set[asyncio.Task] = set()

    def enqueue(self, key: Hashable, job: Job) -> bool:
        """Queue ``job`` unless one for ``key`` is still pending; returns whether it was queued."""
        if key in self._pending:
            return False
        self._pending[key] = job
        if not self.paused:
            self._schedule(key, self.delay)
        return True

    def configure(self, *, paused: bool | None = None, delay: float | None = None) -> None:
        if delay is not None:
            self.delay = delay
        if paused is not None:
            self.paused = paused
            if not paused:
                for key in self._pending:
                    if key not in self._timers:
                        self._schedule(key, self.delay)

    def _schedule(self, key: Hashable, delay: float) -> None:
        old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()
        self._timers[key] = asyncio.get_running_loop().create_task(self._fire(key, delay))

    async def _fire(self, key: Hashable, delay: float) -> None:
        await self.clock.sleep(delay)
        self._timers.pop(key, None)
        job = self._pending.pop(key, None)
        if job is None:
            return
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        try:
            await job()
        finally:
            self._running.discard(task)

    @property
    def idle(self) -> bool:
        """Nothing queued, waiting or being sent."""
        return not (self._pending or self._timers or self._running)

    async def drain(self) -> None:
        """Run everything pending now (paused or not) and wait until no job is left running."""
        while not self.idle:
            for key in list(self._pending):
                self._schedule(key, 0.0)
            await asyncio.gather(*self._timers.values(), *self._running, return_exceptions=True)

    async def close(self) -> None:
        tasks = [*self._timers.values(), *self._running]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._pending.clear()
        self._timers.clear()


class Hookshot:
    """The HTTP side of ``WC_Webhook``: POST, no redirects followed for deliveries, one attempt.

    ``session`` should speak HTTP/1.0 like WordPress' HTTP API does by default.
    """

    def __init__(self, session: Callable[[], aiohttp.ClientSession], clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def post(self, url: str, body: bytes, headers: dict[str, str], *, ping: bool) -> tuple[int | None, str | None]:
        """Return (status, error): status is ``None`` when no HTTP answer came back."""
        # Clock-scaled like every emulator wait, but never below a second so a local receiver keeps up.
        timeout = max(1.0, (PING_TIMEOUT_S if ping else DELIVERY_TIMEOUT_S) * self._clock.scale)
        try:
            async with self._session().post(
                url,
                data=body,
                headers={"User-Agent": USER_AGENT, **headers},
                skip_auto_headers=("Content-Type", "Accept", "Accept-Encoding"),
                allow_redirects=ping,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                await response.read()
                return response.status, None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            return None, f"{type(exc).__name__}: {exc}"
