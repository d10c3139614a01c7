"""Request plumbing: concurrency detection, Ongoing's error shapes and HTTP Basic auth.

Ongoing processes a goods owner's requests one after the other and asks clients not to send them in
parallel; :class:`InFlight` records how many overlapped so tests can assert the daemon complied.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from aiohttp import web

from .errors import SERVER_ERROR_BODY, ApiError
from .wire import reply


class InFlight:
    """Concurrent API requests of the (single) goods owner: now, and the most ever seen at once."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.current = 0
        self.max_seen = 0

    def middleware(self):
        @web.middleware
        async def count(request: web.Request, handler):
            if not request.path.startswith(self.prefix):
                return await handler(request)
            self.current += 1
            self.max_seen = max(self.max_seen, self.current)
            try:
                return await handler(request)
            finally:
                self.current -= 1

        return count


@web.middleware
async def injected_error_shape(request: web.Request, handler):
    """The shared fault layer answers injected errors with 503; Ongoing's IIS answers 500 with
    ``{"Message": "An error has occurred."}``. None of our handlers answers 503 itself."""
    response = await handler(request)
    if response.status == 503:
        return reply(SERVER_ERROR_BODY, 500)
    return response


@web.middleware
async def refuse_chunked(request: web.Request, handler):
    """[inferred] Ongoing's IIS/WAF front answered 500 to a client whose requests differed from curl's;
    a chunked body without Content-Length is the likeliest trigger, so the daemon must not send one."""
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return reply(SERVER_ERROR_BODY, 500)
    return await handler(request)


def throttled(_: web.Request) -> web.Response:
    """[inferred] Ongoing documents no rate limit; an injected 429 carries no Retry-After."""
    return reply({"message": "Too many requests."}, 429)


def auth_middleware(prefix: str, user: str, password: str):
    expected = f"{user}:{password}".encode()

    @web.middleware
    async def authenticate(request: web.Request, handler):
        if request.path.startswith(prefix) and not hmac.compare_digest(_credentials(request), expected):
            response = reply({"Message": "Authorization has been denied for this request."}, 401)
            response.headers["WWW-Authenticate"] = 'Basic realm="Ongoing WMS"'
            return response
        return await handler(request)

    return authenticate


def _credentials(request: web.Request) -> bytes:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return b""
    try:
        return base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return b""


@web.middleware
async def error_middleware(request: web.Request, handler):
    """Domain errors and aiohttp's own 404/405 become JSON; anything unexpected is ASP.NET's 500."""
    try:
        return await handler(request)
    except ApiError as error:
        return reply(error.body(), error.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return reply({"message": exc.reason}, exc.status)
    except Exception:  # noqa: BLE001 - the emulator must answer like the real server, not crash the test
        request.app.logger.exception("emulator error")
        return reply(SERVER_ERROR_BODY, 500)
