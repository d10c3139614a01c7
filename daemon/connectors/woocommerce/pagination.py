"""WooCommerce lists: ``page``/``per_page`` (at most 100) and the ``X-WP-TotalPages`` header.

A list that fits one page costs one request, so polling an unchanged site is cheap.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator, Mapping

from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer

PER_PAGE_MAX = 100
Record = dict[str, Any]


async def iter_pages(
    api: ApiClient, path: str, params: Mapping[str, Any] | None = None, *, per_page: int = PER_PAGE_MAX
) -> AsyncIterator[list[Record]]:
    """Yield each non-empty page until ``page >= X-WP-TotalPages``."""
    page = 1
    while True:
        response = await api.request("GET", path, params={**(params or {}), "page": page, "per_page": per_page})
        if not isinstance(response.body, list):
            raise unexpected_answer(api.connection, response, "JSON list")
        items = response.body
        if items:
            yield items
        if not items or page >= _total_pages(response.headers):
            return
        page += 1


def _total_pages(headers: Mapping[str, str]) -> int:
    try:
        return int(headers.get("X-WP-TotalPages") or 1)
    except ValueError:
        return 1


def modified_window(since: datetime, until: datetime | None = None) -> dict[str, Any]:
    """Filter for records modified in (since, until), by the UTC columns, oldest change first.

    WordPress compares exclusively and to the second; the poller's overlap covers the edge.
    """
    params: dict[str, Any] = {
        "modified_after": wc_gmt(since),
        "dates_are_gmt": True,
        "orderby": "modified",
        "order": "asc",
    }
    if until is not None:
        params["modified_before"] = wc_gmt(until)
    return params


def wc_gmt(instant: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` in UTC without a zone, as the ``*_gmt`` columns hold it."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: pass an aware instant")
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def parse_gmt(value: str) -> datetime:
    """A ``date_*_gmt`` value (no zone designator) as an aware UTC instant."""
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
