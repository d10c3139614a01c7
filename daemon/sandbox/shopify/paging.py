"""Relay connections with opaque cursors that encode the sort key, so pages stay stable under inserts."""

from __future__ import annotations

from typing import Any, Callable

from graphql import GraphQLError

from .ids import decode_cursor, encode_cursor

Key = Callable[[Any], tuple]


def connection(
    items: list[Any],
    key: Key,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    reverse: bool = False,
    wrap: Callable[[Any], Any] = lambda item: item,
) -> dict[str, Any]:
    """Edges, nodes and pageInfo for ``items`` ordered by ``key`` (ascending unless ``reverse``)."""
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    ordered = sorted(items, key=key, reverse=reverse)
    keys = [list(key(item)) for item in ordered]

    def precedes(a: list, b: list) -> bool:
        return a > b if reverse else a < b

    def first_index(predicate: Callable[[list], bool]) -> int:
        return next((i for i, item_key in enumerate(keys) if predicate(item_key)), len(keys))

    after_key = _decode(after) if after else None
    before_key = _decode(before) if before else None
    low = first_index(lambda k: precedes(after_key, k)) if after_key is not None else 0
    high = len(keys) if before_key is None else first_index(lambda k: not precedes(k, before_key))
    high = max(low, high)
    if first is not None:
        high = min(high, low + max(first, 0))
    if last is not None:
        low = max(low, high - max(last, 0))
    edges = [{"cursor": encode_cursor(tuple(keys[i])), "node": wrap(ordered[i])} for i in range(low, high)]
    return {
        "edges": edges,
        "nodes": [edge["node"] for edge in edges],
        "pageInfo": {
            "hasNextPage": high < len(keys),
            "hasPreviousPage": low > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _decode(cursor: str) -> list:
    decoded = decode_cursor(cursor)
    if decoded is None:
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}")
    return list(decoded)


def by_id(item: Any) -> tuple:
    return (item.id,)
