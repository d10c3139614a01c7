"""Turning a failed attempt into a typed error with a reason an operator can act on, and deciding
whether another attempt is safe.

The reason names the connection, the request and what the server said, e.g.
``rackbeat POST /orders → 422: lines.0.item_id: Product needed``. A request that creates something
is retried only when the failure proves the server did not process it; otherwise a second attempt
could create a duplicate, and the caller (who can look the record up by its reference) decides.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import aiohttp

from daemon.errors import ApiError, NotFoundError, RetryableApiError, TerminalApiError
from daemon.http.response import ApiResponse
from daemon.logs.redact import redact_text

MAX_DETAIL_CHARS = 500
MESSAGE_KEYS = ("message", "error_description", "error")
# Everything an attempt can fail with short of an answer: refused, dropped, reset, timed out.
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)
# Failures before any byte of the request left: safe to repeat even a create.
NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


class AttemptFailed(Exception):
    """One attempt's failure; ``retry`` says whether the HTTP layer may try again by itself."""

    def __init__(self, error: ApiError, *, retry: bool) -> None:
        super().__init__(error.reason)
        self.error = error
        self.retry = retry


def is_retryable_status(status: int) -> bool:
    return status in (408, 429) or status >= 500


def status_failure(
    connection: str,
    method: str,
    path: str,
    status: int,
    body: Any,
    *,
    retry_after: float | None,
    idempotent: bool,
    max_wait_s: float,
) -> AttemptFailed:
    """A retryable status is retried when safe and the server's Retry-After is short enough to sleep through."""
    reason = f"{connection} {method} {path} → {status}: {describe(body) or _phrase(status)}"
    common = dict(connection=connection, status=status, body=body)
    if not is_retryable_status(status):
        error_type = NotFoundError if status == 404 else TerminalApiError
        return AttemptFailed(error_type(reason, **common), retry=False)
    not_processed = status == 429 or (status == 503 and retry_after is not None)
    error = RetryableApiError(reason, retry_after=retry_after, **common)
    short_wait = retry_after is None or retry_after <= max_wait_s
    return AttemptFailed(error, retry=(idempotent or not_processed) and short_wait)


def network_failure(
    connection: str, method: str, path: str, exc: BaseException, *, idempotent: bool
) -> AttemptFailed:
    retry = idempotent or isinstance(exc, NOT_SENT)
    detail = redact_text(str(exc)) or "no answer"
    reason = f"{connection} {method} {path} → {type(exc).__name__}: {detail}"
    if not retry:
        reason += " (not retried: the request may have reached the server)"
    return AttemptFailed(RetryableApiError(reason, connection=connection), retry=retry)


def paused_failure(connection: str, method: str, path: str, seconds: float) -> AttemptFailed:
    """Not sent at all: the connection is paused longer than a request should wait in line."""
    reason = f"{connection} {method} {path} → not sent: the server asked for a {seconds:.0f} s pause"
    return AttemptFailed(RetryableApiError(reason, connection=connection, retry_after=seconds), retry=False)


def unexpected_answer(connection: str, response: ApiResponse, wanted: str) -> TerminalApiError:
    """A success answer without the shape the API documents: a contract break no retry will fix."""
    return TerminalApiError(
        f"{connection} {response.method} {response.path} → {response.status}: answer has no {wanted}",
        connection=connection,
        status=response.status,
        body=response.body,
    )


def describe(body: Any) -> str:
    """The server's own words from the error shapes we meet.

    Rackbeat/Laravel ``{"message", "errors": {"lines.0.item_id": ["Product needed"]}}``, Shopify REST
    ``{"errors": "..." | [...] | {...}}``, GraphQL ``{"errors": [{"message"}]}``, WooCommerce
    ``{"code", "message"}``; any other text is passed on shortened.
    """
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, dict) and errors:
            text = "; ".join(f"{key}: {_messages(value)}" for key, value in errors.items())
        elif isinstance(errors, list) and errors:
            text = "; ".join(_messages(item) for item in errors)
        elif isinstance(errors, str) and errors:
            text = errors
        else:
            text = next((body[k] for k in MESSAGE_KEYS if isinstance(body.get(k), str)), "")
    elif isinstance(body, str):
        text = " ".join(body.split())
    else:
        text = ""
    text = redact_text(text)
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def _messages(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_messages(item) for item in value)
    if isinstance(value, dict) and isinstance(value.get("message"), str):
        return value["message"]
    return str(value)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"

