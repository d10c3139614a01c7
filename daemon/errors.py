"""The two kinds of failure every sync step can end in.

Retryable: the world may fix itself (network, 429, 5xx, a lock held elsewhere); the queue retries with
backoff. Terminal: data an operator must fix (unknown SKU, invalid address); the job is parked with the
reason and retried only when asked or when the cause is known to be gone.
"""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    """Base of all errors a job handler may raise on purpose."""

    def __init__(self, reason: str, **context: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.context = context


class RetryableError(SyncError):
    """Try again later; ``retry_after`` (seconds) overrides the queue's backoff when the server said so."""

    def __init__(self, reason: str, *, retry_after: float | None = None, **context: Any) -> None:
        super().__init__(reason, **context)
        self.retry_after = retry_after


class TerminalError(SyncError):
    """Do not retry automatically: the reason tells the operator what to fix."""


class ApiError(SyncError):
    """An answer (or no answer) from an external API; carries what the operator needs to see."""

    def __init__(
        self,
        reason: str,
        *,
        connection: str,
        status: int | None = None,
        body: Any = None,
        **context: Any,
    ) -> None:
        super().__init__(reason, connection=connection, status=status, **context)
        self.connection = connection
        self.status = status
        self.body = body


class RetryableApiError(ApiError, RetryableError):
    """Network failure, timeout, 408, 429 or 5xx that outlived the HTTP layer's own retries."""

    def __init__(self, reason: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        ApiError.__init__(self, reason, **kwargs)
        self.retry_after = retry_after


class TerminalApiError(ApiError, TerminalError):
    """A 4xx answer: the request itself is wrong (validation, auth, missing resource)."""


class NotFoundError(TerminalApiError):
    """404: the addressed resource does not exist."""
