"""The one way the daemon talks HTTP: rate-limited, timed out, retried where that is safe, typed errors.

Every attempt waits for the connection's :class:`RateLimiter`; every answer is shown to the
connector's ``observe`` hook so the limiter learns the server's real budget. Failures end as
:class:`RetryableApiError` (the queue tries the job again later) or :class:`TerminalApiError`
(an operator must fix the data); nothing else escapes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import aiohttp
import backoff
import structlog

from daemon.http.failures import (
    TRANSPORT_ERRORS,
    AttemptFailed,
    is_retryable_status,
    network_failure,
    paused_failure,
    status_failure,
)
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import ApiResponse, read_body, retry_after_seconds
from daemon.http.urls import join_url, query

Observer = Callable[[ApiResponse], None]


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    params: Mapping[str, Any] | None
    json: Any
    data: Any
    headers: Mapping[str, str] | None
    cost: float
    idempotent: bool


class ApiClient:
    """HTTP for one connection (Rackbeat, one shop, the WMS), sharing the daemon's aiohttp session.

    ``max_retry_wait_s`` caps both the exponential backoff and how long a Retry-After is slept
    through inside a request; while a longer server-requested pause lasts, requests end at once
    with ``retry_after`` set, so the job queue parks the job instead of holding a worker.
    """

    def __init__(
        self,
        connection: str,
        base_url: str,
        *,
        session: aiohttp.ClientSession,
        limiter: RateLimiter,
        headers: Mapping[str, str] | None = None,
        auth: aiohttp.BasicAuth | None = None,
        timeout_s: float = 30,
        connect_timeout_s: float = 5,
        max_attempts: int = 4,
        backoff_base_s: float = 0.5,
        max_retry_wait_s: float = 30,
        observe: Observer | None = None,
    ) -> None:
        self.connection = connection
        self.base_url = base_url
        self._session = session
        self._limiter = limiter
        self._headers = dict(headers or {})
        self._auth = auth
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=min(connect_timeout_s, timeout_s))
        self._max_retry_wait_s = max_retry_wait_s
        self._observe = observe
        self._log = structlog.get_logger(connection=connection)  # lazy: follows later logging setup
        self._send = backoff.on_exception(
            backoff.expo,
            AttemptFailed,
            max_tries=max_attempts,
            giveup=lambda failed: not failed.retry,
            on_backoff=self._log_retry,
            jitter=backoff.full_jitter,
            logger=None,
            factor=backoff_base_s,
            max_value=max_retry_wait_s,
        )(self._attempt)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        cost: float = 1.0,
        idempotent: bool | None = None,
    ) -> ApiResponse:
        """Send ``method path`` (percent-encoded, relative to ``base_url``) and return a < 400 answer.

        ``idempotent`` defaults to False for POST only: such a request is repeated only after a
        failure proving the server did not process it (429, 503 with Retry-After, no connection).
        """
        method = method.upper()
        call = _Call(
            method=method,
            path=path,
            params=query(params),
            json=json,
            data=data,
            headers=headers,
            cost=cost,
            idempotent=method != "POST" if idempotent is None else idempotent,
        )
        try:
            return await self._send(call)
        except AttemptFailed as failed:
            raise failed.error from failed.__cause__

    async def _attempt(self, call: _Call) -> ApiResponse:
        if (paused := self._limiter.paused_for) > self._max_retry_wait_s:
            raise paused_failure(self.connection, call.method, call.path, paused)
        async with self._limiter.slot(call.cost):
            started = time.monotonic()
            try:
                async with self._session.request(
                    call.method,
                    join_url(self.base_url, call.path),
                    params=call.params,
                    json=call.json,
                    data=call.data,
                    headers={**self._headers, **(call.headers or {})},
                    auth=self._auth,
                    timeout=self._timeout,
                ) as raw:
                    body = await read_body(raw)
            except TRANSPORT_ERRORS as exc:
                self._log_request(call, started, error=type(exc).__name__)
                raise network_failure(
                    self.connection, call.method, call.path, exc, idempotent=call.idempotent
                ) from exc
        response = ApiResponse(call.method, call.path, raw.status, raw.headers, body, _ms_since(started))
        self._log_request(call, started, status=response.status)
        if self._observe is not None:
            self._observe(response)
        if response.status < 400:
            return response
        raise self._status_failure(call, response)

    def _status_failure(self, call: _Call, response: ApiResponse) -> AttemptFailed:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if retry_after is not None and is_retryable_status(response.status):
            self._limiter.pause_for(retry_after)
        return status_failure(
            self.connection,
            call.method,
            call.path,
            response.status,
            response.body,
            retry_after=retry_after,
            idempotent=call.idempotent,
            max_wait_s=self._max_retry_wait_s,
        )

    def _log_request(self, call: _Call, started: float, **outcome: Any) -> None:
        self._log.debug("http.request", method=call.method, path=call.path, ms=_ms_since(started), **outcome)

    def _log_retry(self, details: dict[str, Any]) -> None:
        call: _Call = details["args"][0]
        failed: AttemptFailed = details["exception"]
        self._log.warning(
            "http.retry",
            method=call.method,
            path=call.path,
            attempt=details["tries"],
            wait_s=round(details["wait"], 3),
            status=failed.error.status,
            retry_after=getattr(failed.error, "retry_after", None),
            reason=failed.error.reason,
        )


def _ms_since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
