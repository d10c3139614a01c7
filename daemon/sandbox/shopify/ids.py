"""Global IDs, opaque cursors and Shopify's second-precision timestamps."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def parse_gid(value: str, kind: str) -> int | None:
    """The numeric id of ``gid://shopify/{kind}/{n}``; None when the id is of another type or malformed.

    Shopify also accepts query strings on some gids (InventoryLevel); everything after ``?`` is ignored.
    """
    prefix = f"gid://shopify/{kind}/"
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    number = value[len(prefix) :].split("?", 1)[0]
    return int(number) if number.isdigit() else None


def gid_kind(value: str) -> str | None:
    parts = value.split("/") if isinstance(value, str) else []
    return parts[3] if len(parts) >= 5 and value.startswith("gid://shopify/") else None


def encode_cursor(key: tuple) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, ...] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return tuple(json.loads(raw))
    except (ValueError, TypeError):
        return None


def now_utc() -> datetime:
    """Shopify timestamps carry whole seconds only, so every stored time is truncated to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso_z(moment: datetime) -> str:
    """GraphQL ``DateTime``: UTC with a ``Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
