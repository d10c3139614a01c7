"""Asynchronous webhook delivery with Rackbeat's headers, timeout and exponential retry schedule.

Each delivery runs in its own task, never inside the request that caused it. Writes made with
``suppress_webhooks`` set :data:`suppressed` for the request, and their events are dropped here.
"""

from __future__ import annotations

import asyncio
from collections import deque
from contextvars import ContextVar
from typing import Any

import aiohttp

from ..common import Clock, deliver_with_retries
from .events import Event
from .webhooks import Webhook, WebhookRegistry

suppressed: ContextVar[bool] = ContextVar("rackbeat_suppress_webhooks", default=False)

RETRY_SCHEDULE = (10.0, 30.0, 60.0, 300.0, 1800.0, 7200.0, 21600.0, 43200.0)  # ~24 h in total [notes §5.9]
RESPONSE_TIMEOUT_S = 15.0
CONNECT_TIMEOUT_S = 3.0
MIN_TIMEOUT_S = 0.5  # floor for scaled timeouts, so a tiny Clock scale does not fail healthy receivers


class WebhookDispatcher:
    """Turns published events into deliveries to every active subscription of that event."""

    def __init__(
        self,
        registry: WebhookRegistry,
        account_id: int,
        clock: Clock,
        *,
        schedule: tuple[float, ...] = RETRY_SCHEDULE,
        log_size: int = 1000,
    ) -> None:
        self.registry = registry
        self.account_id = account_id
        self.clock = clock
        self.schedule = list(schedule)
        self.log: deque[dict[str, Any]] = deque(maxlen=log_size)
        self._tasks: set[asyncio.Task] = set()
        self._session: aiohttp.ClientSession | None = None

    def publish(self, event: Event) -> None:
        if suppressed.get():
            return
        for hook in self.registry.subscribed(event.name):
            task = asyncio.get_running_loop().create_task(self._deliver(hook, event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every delivery, retries included, has succeeded or given up."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _deliver(self, hook: Webhook, event: Event) -> None:
        body = {"key": event.key, "key_name": event.key_name, "event": event.name, "data": event.data}
        headers = {
            "Rackbeat-Webhook-Token": hook.token,
            "Rackbeat-Webhook-Event": event.name,
            "Rackbeat-Account-Id": str(self.account_id),
            "User-Agent": "Rackbeat Webhook",
        }
        attempts = 0

        async def send() -> bool:
            nonlocal attempts
            if not self.registry.is_current(hook):
                return True  # unsubscribed meanwhile: nothing left to deliver
            attempts += 1
            status = await self._post(hook.url, body, headers)
            ok = status is not None and 200 <= status < 300
            hook.failures_since_last_success = 0 if ok else hook.failures_since_last_success + 1
            entry = {"webhook_id": hook.id, "event": event.name, "key": event.key}
            self.log.append(entry | {"attempt": attempts, "status": status, "ok": ok})
            return ok

        await deliver_with_retries(send, self.schedule, self.clock)

    async def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> int | None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        timeout = aiohttp.ClientTimeout(
            total=max(MIN_TIMEOUT_S, RESPONSE_TIMEOUT_S * self.clock.scale),
            sock_connect=max(MIN_TIMEOUT_S, CONNECT_TIMEOUT_S * self.clock.scale),
        )
        try:
            async with self._session.post(url, json=body, headers=headers, timeout=timeout) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return None
