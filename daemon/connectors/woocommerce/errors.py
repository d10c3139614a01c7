"""WooCommerce's error body ``{"code", "message", "data": {"status", ...}}``: the code is the stable part
(messages change between versions), e.g. ``product_invalid_sku`` for a duplicate SKU."""

from __future__ import annotations

from typing import Any

from daemon.errors import ApiError


def rest_error_code(error: ApiError) -> str | None:
    body = error.body
    return body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), str) else None


def rest_error_data(error: ApiError) -> dict[str, Any]:
    body = error.body
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}
