"""Which Rackbeat record an inbox item is about, whether it came as a webhook or from a poll.

Webhooks name the record by ``key`` (with ``key_name``, or the number inside ``data``); a polled item
is the record itself. Every flow that reacts to Rackbeat changes asks here.
"""

from __future__ import annotations

from typing import Any, Mapping


def is_webhook(payload: Mapping[str, Any]) -> bool:
    return "event" in payload


def record_number(payload: Mapping[str, Any]) -> str | None:
    """The product/order number the item is about, or None when it names none."""
    if is_webhook(payload):
        if payload.get("key_name", "number") == "number" and payload.get("key") is not None:
            return str(payload["key"])
        number = (payload.get("data") or {}).get("number")
    else:
        number = payload.get("number")
    return str(number) if number not in (None, "") else None
