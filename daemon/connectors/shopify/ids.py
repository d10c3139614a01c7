"""Global IDs and search-syntax values: callers may hold REST ids, the API wants ``gid://`` strings."""

from __future__ import annotations

from datetime import datetime, timezone


def to_gid(kind: str, value: str | int) -> str:
    """``450789469`` or ``"450789469"`` → ``gid://shopify/Order/450789469``; a gid passes unchanged."""
    text = str(value)
    if text.startswith("gid://"):
        return text
    if not text.isdigit():
        raise ValueError(f"not a Shopify {kind} id: {value!r}")
    return f"gid://shopify/{kind}/{text}"


def search_value(value: str) -> str:
    """Quote a value for search syntax (``sku:'AB 12'``); a value holding ``'`` is double-quoted."""
    return f'"{value}"' if "'" in value else f"'{value}'"


def search_time(instant: datetime) -> str:
    """Shopify keeps whole seconds: round down, so the window never starts after a change it should hold."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: pass an aware instant")
    return instant.astimezone(timezone.utc).strftime("'%Y-%m-%dT%H:%M:%SZ'")


def updated_between(since: datetime, until: datetime | None = None) -> str:
    """The ``orders(query:)`` filter for ``[since, until]`` (both inclusive; the poller dedupes)."""
    query = f"updated_at:>={search_time(since)}"
    return f"{query} updated_at:<={search_time(until)}" if until is not None else query
