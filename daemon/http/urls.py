"""Building request URLs: base URLs with a path prefix, encoded keys, query values aiohttp accepts."""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

import yarl

QueryValue = str | int | float


def join_url(base_url: str, path: str) -> yarl.URL:
    """``http://host/api`` + ``/orders`` → ``http://host/api/orders``; ``path`` must be percent-encoded
    already (see :func:`segment`), so an encoded ``/`` inside a key stays a single segment."""
    return yarl.URL(f"{base_url.rstrip('/')}/{path.lstrip('/')}", encoded=True)


def segment(value: str | int) -> str:
    """One path segment, every reserved character encoded: SKUs like ``AB/12#3`` address one record."""
    return quote(str(value), safe="")


def query(params: Mapping[str, Any] | None) -> dict[str, QueryValue] | None:
    """Drop None values and spell booleans ``true``/``false`` (aiohttp refuses bools)."""
    if params is None:
        return None
    return {
        key: ("true" if value else "false") if isinstance(value, bool) else value
        for key, value in params.items()
        if value is not None
    }
