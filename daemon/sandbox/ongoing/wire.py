"""JSON in and out: Decimal-safe replies, request bodies and lenient number reading.

Ongoing's own examples send numbers as JSON strings (``"weight": "1.5"``) and the server accepts
them, so every numeric input goes through :func:`to_number`.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from .errors import ApiError


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def reply(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, default=_encode))


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON object sent: 415 for another media type (the API is JSON only), 400 (with modelState,
    like model binding) for anything but a JSON object."""
    if request.content_type != "application/json":
        raise ApiError(
            415, f"The request entity's media type '{request.content_type}' is not supported for this resource."
        )
    raw = await request.read()
    try:
        data = json.loads(raw) if raw.strip() else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "The request is invalid.", {"model": ["A JSON object body is required."]})
    return data


def to_number(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal; None when it is neither (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
