"""JSON in and out: Decimal-safe encoding, the single-object wrapper and request bodies."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Iterable

from aiohttp import web

from .failures import ApiFailure
from .listing import list_envelope, project


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    return json.dumps(data, default=_encode)


def reply(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def one(request: web.Request, singular: str, record: dict[str, Any], status: int = 200) -> web.Response:
    """``{"<singular>": {...}}``, honouring ``fields`` like the lists do."""
    return reply({singular: project(record, request.query.get("fields"))}, status)


def many(
    request: web.Request,
    plural: str,
    records: Iterable[dict[str, Any]],
    search_fields: tuple[str, ...] = ("number", "name"),
) -> web.Response:
    return reply(list_envelope(plural, records, request.query, search_fields), 206)


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON object sent, ``{}`` for an empty body; 400 for anything else."""
    raw = await request.read()  # cached by aiohttp, so middleware and handler may both read it
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiFailure(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiFailure(400, "The request body must be a JSON object.")
    return data


def is_true(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")
