"""Rackbeat lists: HTTP 206 with ``{<plural>: [...], total, pages, limit, page}``, and change windows.

Pages are fetched with the largest ``limit`` (1000) so that polling an unchanged account costs one
request per resource.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator, Mapping

from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer
from daemon.http.response import ApiResponse

MAX_LIMIT = 1000
Record = dict[str, Any]


def plural_key(resource_path: str) -> str:
    """``/purchase-orders`` → ``purchase_orders``: the server names a list after its last path segment."""
    return resource_path.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")


async def iter_pages(
    api: ApiClient,
    resource_path: str,
    *,
    params: Mapping[str, Any] | None = None,
    limit: int = MAX_LIMIT,
    key: str | None = None,
) -> AsyncIterator[list[Record]]:
    """Yield each non-empty page until ``page >= pages``; ``key`` overrides the envelope's list key."""
    key = key or plural_key(resource_path)
    page = 1
    while True:
        response = await api.request("GET", resource_path, params={**(params or {}), "page": page, "limit": limit})
        items = _records(api, response, key)
        if items:
            yield items
        if not items or page >= _page_count(response.body):
            return
        page += 1


def _records(api: ApiClient, response: ApiResponse, key: str) -> list[Record]:
    body = response.body
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return body[key]
    raise unexpected_answer(api.connection, response, f"{key!r} list")


def _page_count(body: dict[str, Any]) -> int:
    try:
        return int(body.get("pages") or 1)
    except (TypeError, ValueError):
        return 1


def change_window(since: datetime, until: datetime | None = None) -> dict[str, str]:
    """Filter for records changed in [since, until], oldest first, so a poller can advance a watermark.

    The filter format has whole seconds: ``since`` is rounded down, so records from the watermark's
    own second come again (the poller must tolerate repeats, never miss changes).
    """
    params = {"updated_at_from": rackbeat_time(since), "order_by": "updated_at", "order_direction": "ASC"}
    if until is not None:
        params["updated_at_to"] = rackbeat_time(until)
    return params


def rackbeat_time(instant: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC, the format of Rackbeat's range filters."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: pass an aware instant")
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

