"""An HTTP answer with its body already read, and the header parsing every connector needs."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

import aiohttp


@dataclass(frozen=True)
class ApiResponse:
    """One answer; ``body`` is decoded JSON when the server sent JSON, otherwise the text."""

    method: str
    path: str
    status: int
    headers: Mapping[str, str]
    body: Any
    elapsed_ms: float


async def read_body(response: aiohttp.ClientResponse) -> Any:
    """JSON when declared (``application/json``, ``...+json``) and parseable, else text; None if empty."""
    text = await response.text(errors="replace")
    if not text.strip():
        return None
    content_type = response.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds (``2``, ``2.0``) or an HTTP date; None if absent."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
