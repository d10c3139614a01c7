"""How WordPress puts JSON on the wire, and the REST error shape.

WordPress encodes with ``wp_json_encode``: compact, ``/`` escaped as ``\\/`` and non-ASCII as ``\\uXXXX``.
Webhook signatures are computed over those exact bytes, so the emulator must produce them too.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from aiohttp import web


QUERY = web.RequestKey("woo_query", dict)  # the PHP-style parsed query string


def php_json(payload: Any) -> bytes:
    """``trim(wp_json_encode($payload))`` as bytes."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    return text.replace("/", "\\/").encode("ascii")


class RestError(Exception):
    """A ``WP_Error`` on its way to the client: ``{code, message, data: {status, ...}}``."""

    def __init__(self, code: str, message: str, status: int, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}

    def response(self) -> web.Response:
        return raw_response(self.body(), status=self.status, headers=self.headers)


def invalid_params(errors: dict[str, str]) -> RestError:
    """WP core's answer when request arguments fail schema validation."""
    details = {name: {"code": "rest_invalid_param", "message": msg, "data": None} for name, msg in errors.items()}
    return RestError(
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(errors),
        400,
        params=errors,
        details=details,
    )


def no_route() -> RestError:
    return RestError("rest_no_route", "No route was found matching the URL and request method.", 404)


def raw_response(payload: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=php_json(payload),
        status=status,
        headers=headers or {},
        content_type="application/json",
        charset="UTF-8",
    )


def pick_fields(payload: Any, fields: str | None) -> Any:
    """WP core's ``_fields``: keep only the named top-level keys of each object."""
    if not fields:
        return payload
    wanted = {name.strip().split(".")[0] for name in fields.split(",") if name.strip()}

    def pick(item: Any) -> Any:
        return {k: v for k, v in item.items() if k in wanted} if isinstance(item, dict) else item

    return [pick(item) for item in payload] if isinstance(payload, list) else pick(payload)


def rest_response(
    request: web.Request, payload: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    fields = request.get(QUERY, {}).get("_fields")
    return raw_response(pick_fields(payload, fields if isinstance(fields, str) else None), status=status, headers=headers)


def require_params(body: dict[str, Any], names: Iterable[str]) -> None:
    """WP core rejects a request missing a schema-required argument before the controller runs."""
    missing = [name for name in names if name not in body]
    if missing:
        raise RestError(
            "rest_missing_callback_param", "Missing parameter(s): " + ", ".join(missing), 400, params=missing
        )


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON body, ``{}`` when empty; WP answers 400 ``rest_invalid_json`` to malformed JSON."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise RestError("rest_invalid_json", "Invalid JSON body passed.", 400) from None
    if not isinstance(body, dict):
        raise RestError("rest_invalid_json", "Invalid JSON body passed.", 400)
    return body
