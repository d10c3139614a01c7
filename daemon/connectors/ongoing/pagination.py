"""Ongoing's id-cursor pagination: ask from id N for at most M records; the next page starts after
the largest id seen; a short page is the last one. Without a maximum Ongoing returns everything,
which can time out, so every list the daemon reads goes through here."""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Mapping

from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer

PAGE_SIZE = 50
Record = dict[str, Any]


async def iter_by_id(
    api: ApiClient,
    path: str,
    params: Mapping[str, Any],
    *,
    id_from: str,
    max_to_get: str,
    id_of: Callable[[Record], int],
    page_size: int = PAGE_SIZE,
) -> AsyncIterator[list[Record]]:
    cursor = 0
    while True:
        response = await api.request("GET", path, params={**params, id_from: cursor, max_to_get: page_size})
        if not isinstance(response.body, list):
            raise unexpected_answer(api.connection, response, "JSON array")
        page = response.body
        if page:
            yield page
        if len(page) < page_size:
            return
        cursor = max(id_of(record) for record in page) + 1
