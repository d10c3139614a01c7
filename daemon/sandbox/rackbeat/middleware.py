"""Request plumbing for /api: bearer auth, JSON error answers and the suppress_webhooks switch."""

from __future__ import annotations

import hmac

from aiohttp import web

from .delivery import suppressed
from .failures import ApiFailure
from .ratelimit import API_PREFIX
from .responses import is_true, read_body, reply


def auth_middleware(token: str):
    expected = f"Bearer {token}"

    @web.middleware
    async def authenticate(request: web.Request, handler):
        if request.path.startswith(API_PREFIX):
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return reply({"message": "Unauthenticated."}, 401)
        return await handler(request)

    return authenticate


@web.middleware
async def error_middleware(request: web.Request, handler):
    """Domain failures and aiohttp's own 404/405 become ``{"message": ...}`` JSON answers."""
    try:
        return await handler(request)
    except ApiFailure as failure:
        return reply(failure.body(), failure.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return reply({"message": exc.reason}, exc.status)


@web.middleware
async def suppression_middleware(request: web.Request, handler):
    """``?suppress_webhooks=true`` or ``"suppress_webhooks": true`` mutes this request's events."""
    mute = is_true(request.query.get("suppress_webhooks"))
    if not mute and request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            mute = is_true((await read_body(request)).get("suppress_webhooks"))
        except ApiFailure:
            mute = False
    token = suppressed.set(mute)
    try:
        return await handler(request)
    finally:
        suppressed.reset(token)
