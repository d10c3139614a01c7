"""Webhook subscriptions (``/webhooks``): upserted on event+url, the 32-char token shown only on create."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .failures import Problems, not_found
from .payload import Payload, int_or_none
from .stamps import Stamps, iso


@dataclass(eq=False)
class Webhook:
    id: int
    event: str
    url: str
    token: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
    failures_since_last_success: int = 0


class WebhookRegistry:
    def __init__(self, stamps: Stamps) -> None:
        self.stamps = stamps
        self.hooks: dict[int, Webhook] = {}
        self._ids = itertools.count(1)

    def upsert(self, body: dict[str, Any]) -> tuple[Webhook, bool]:
        """Create, or update the subscription with the same event and url; returns (hook, created)."""
        problems = Problems()
        data = Payload(body, problems)
        event = data.text("event", required=True)
        url = data.text("url", required=True)
        if url is not None and not url.startswith(("http://", "https://")):
            problems.add("url", "The url format is invalid.")
        is_active = data.boolean("is_active")
        problems.raise_if_any()
        now = self.stamps.next()
        for hook in self.hooks.values():
            if hook.event == event and hook.url == url:
                hook.is_active = hook.is_active if is_active is None else is_active
                hook.updated_at = now
                return hook, False
        hook = Webhook(next(self._ids), event, url, secrets.token_hex(16), is_active is not False, now, now)
        self.hooks[hook.id] = hook
        return hook, True

    def find(self, key: str) -> Webhook:
        hook = self.hooks.get(int_or_none(key))
        if hook is None:
            raise not_found("Webhook")
        return hook

    def delete(self, hook: Webhook) -> None:
        del self.hooks[hook.id]

    def subscribed(self, event: str) -> list[Webhook]:
        return [hook for hook in self.hooks.values() if hook.is_active and hook.event == event]

    def is_current(self, hook: Webhook) -> bool:
        return self.hooks.get(hook.id) is hook and hook.is_active

    def to_dict(self, hook: Webhook, *, with_token: bool = False) -> dict[str, Any]:
        data = {
            "id": hook.id,
            "event": hook.event,
            "url": hook.url,
            "is_active": hook.is_active,
            "plugin": None,
            "failures_since_last_success": hook.failures_since_last_success,
            "created_at": iso(hook.created_at),
            "updated_at": iso(hook.updated_at),
        }
        if with_token:
            data["token"] = hook.token
        return data
