"""Webhook delivery as Shopify does it: the REST payload serialized once at trigger time, signed with
the shop's secret, POSTed with the eight X-Shopify-* headers, retried 8 times with exponential backoff
(scaled by the Clock), and the subscription deleted once the retries run out.

[I] Pinned in test_shopify_webhooks.py: X-Shopify-Webhook-Id is the same for every attempt of one delivery
(retries and duplicates), Event-Id is shared by all subscriptions fed by one change.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import aiohttp

from ..common import Clock, deliver_with_retries
from .store import ShopState

# [C] 8 retries over about 4 hours since 2024-09; [I] the exact intervals: doubling from one minute (4.25 h).
RETRY_SCHEDULE = [60.0 * 2**attempt for attempt in range(8)]
TIMEOUT = aiohttp.ClientTimeout(total=5, connect=1)


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    event_id: str
    topic: str
    triggered_at: str
    uri: str
    subscription_id: int
    body: bytes


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _shrink(payload: dict[str, Any], include_fields: list[str]) -> dict[str, Any]:
    return (
        {key: value for key, value in payload.items() if key in include_fields} if include_fields else payload
    )


class WebhookDispatcher:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.log: dict[str, list[dict[str, Any]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._session: aiohttp.ClientSession | None = None
        self._rngs: dict[str, random.Random] = {}
        self._last_body: tuple[dict[str, Any], tuple[str, ...], bytes] | None = None

    def trigger(self, state: ShopState, topic: str, payload: dict[str, Any]) -> None:
        """Queue one delivery per subscription to ``topic``; the body is fixed now, whatever happens later."""
        subscriptions = [s for s in state.webhook_subscriptions.values() if s.topic == topic]
        if not subscriptions:
            return
        event_id = str(uuid.uuid4())
        triggered_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        for subscription in subscriptions:
            body = self._body(payload, subscription.include_fields)
            delivery = Delivery(
                str(uuid.uuid4()), event_id, topic, triggered_at, subscription.uri, subscription.id, body
            )
            task = asyncio.get_running_loop().create_task(self._run(state, delivery))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _body(self, payload: dict[str, Any], include_fields: list[str]) -> bytes:
        """One snapshot fired under several topics (orders/create, /paid, /updated) is encoded once:
        the same bytes Shopify sends for each, without encoding the order three times in a burst."""
        fields = tuple(include_fields)
        last = self._last_body
        if last is not None and last[0] is payload and last[1] == fields:
            return last[2]
        body = json.dumps(_shrink(payload, include_fields), separators=(",", ":")).encode()
        self._last_body = (payload, fields, body)
        return body

    async def _run(self, state: ShopState, delivery: Delivery) -> None:
        delivered = await deliver_with_retries(
            lambda: self._send(state, delivery), RETRY_SCHEDULE, self.clock
        )
        if not delivered:
            state.webhook_subscriptions.pop(delivery.subscription_id, None)
            return
        rng = self._rngs.setdefault(state.spec.handle, random.Random(state.spec.handle))
        if state.spec.duplicate_webhook_rate and rng.random() < state.spec.duplicate_webhook_rate:
            await self._send(state, delivery)

    async def _send(self, state: ShopState, delivery: Delivery) -> bool:
        spec = state.spec
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Shopify-Captain-Hook",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": sign(spec.webhook_secret, delivery.body),
            "X-Shopify-Shop-Domain": spec.domain,
            "X-Shopify-API-Version": spec.api_version,
            "X-Shopify-Webhook-Id": delivery.webhook_id,
            "X-Shopify-Name": f"sandbox-{delivery.topic.replace('/', '-')}",
            "X-Shopify-Triggered-At": delivery.triggered_at,
            "X-Shopify-Event-Id": delivery.event_id,
        }
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                delivery.uri, data=delivery.body, headers=headers, allow_redirects=False
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            error = type(exc).__name__
        ok = status is not None and 200 <= status < 300
        self.log.setdefault(spec.handle, []).append(
            {
                "webhook_id": delivery.webhook_id,
                "event_id": delivery.event_id,
                "topic": delivery.topic,
                "uri": delivery.uri,
                "status": status,
                "error": error,
                "ok": ok,
            }
        )
        return ok

    async def drain(self) -> None:
        """Wait until every queued delivery (with its retries) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
