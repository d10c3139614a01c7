"""Sending one GraphQL document: cost accounting, THROTTLED retries and Shopify's two error channels.

Shopify answers throttling with HTTP 200 and a top-level ``THROTTLED`` error, not a 429, so the HTTP
layer cannot see it. The answer's ``throttleStatus`` has already been handed to the limiter (see
``connection.cost_observer``); sending again with the query's requested cost therefore makes the
limiter wait exactly until the missing points are restored, (requested - currentlyAvailable) /
restoreRate, and queues the shop's other requests behind it.

Other top-level errors (syntax, MAX_COST_EXCEEDED, access denied) are contract errors: terminal.
Mutations report business failures in ``userErrors`` with HTTP 200; :meth:`GraphQL.mutate` raises
those as :class:`ShopifyUserErrors`.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import structlog

from daemon.connectors.shopify.connection import GRAPHQL_PATH, cost_extension, throttle_status
from daemon.errors import RetryableApiError, TerminalApiError
from daemon.http.client import ApiClient
from daemon.http.failures import describe, unexpected_answer
from daemon.http.response import ApiResponse

THROTTLED = "THROTTLED"
DEFAULT_COST = 50.0  # before the server has priced a document; mutations cost 10
MAX_THROTTLED_ATTEMPTS = 5
_OPERATION = re.compile(r"^\s*(query|mutation)\b\s*(\w*)")


class ShopifyUserErrors(TerminalApiError):
    """A mutation refused the input (``userErrors``); ``user_errors`` holds ``{field, message, code?}``."""

    def __init__(self, reason: str, *, user_errors: list[Mapping[str, Any]], **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.user_errors = user_errors

    @property
    def messages(self) -> list[str]:
        return [str(error.get("message")) for error in self.user_errors]

    @property
    def codes(self) -> list[str | None]:
        return [error.get("code") for error in self.user_errors]


class GraphQL:
    """Executes documents for one shop; remembers each document's requested cost to pre-pay it."""

    def __init__(self, api: ApiClient, *, max_throttled_attempts: int = MAX_THROTTLED_ATTEMPTS) -> None:
        self.api = api
        self._max_throttled_attempts = max_throttled_attempts
        self._costs: dict[str, float] = {}
        self._log = structlog.get_logger(connection=api.connection)

    async def execute(
        self, document: str, variables: Mapping[str, Any] | None = None, *, idempotent: bool | None = None
    ) -> dict[str, Any]:
        """``data`` of a successful answer. Queries are safe to repeat; a mutation only when the caller
        says so (``@idempotent`` key), otherwise the HTTP layer never sends it twice after a lost answer.
        A throttled request was not executed, so it is sent again whatever it is."""
        kind, name = operation_of(document)
        if idempotent is None:
            idempotent = kind != "mutation"
        payload = {"query": document, "variables": dict(variables or {})}
        for attempt in range(1, self._max_throttled_attempts + 1):
            response = await self.api.request(
                "POST", GRAPHQL_PATH, json=payload, cost=self._costs.get(document, DEFAULT_COST), idempotent=idempotent
            )
            self._remember_cost(document, response.body)
            data = self._data(name, response)
            if data is not None:
                return data
            self._log.info("shopify.throttled", operation=name, attempt=attempt, wait_s=restore_wait(response.body))
        raise RetryableApiError(
            f"{self.api.connection} GraphQL {name} → still throttled after {self._max_throttled_attempts} attempts",
            connection=self.api.connection,
            status=response.status,
            body=response.body,
            retry_after=restore_wait(response.body),
        )

    def _data(self, name: str, response: ApiResponse) -> dict[str, Any] | None:
        """The answer's ``data``; None when it was throttled; top-level errors raise."""
        body = response.body
        if not isinstance(body, dict):
            raise unexpected_answer(self.api.connection, response, "GraphQL JSON object")
        errors = body.get("errors")
        if errors and is_throttled(errors):
            return None
        if errors:
            raise TerminalApiError(
                f"{self.api.connection} GraphQL {name} → {describe(body)}",
                connection=self.api.connection,
                status=response.status,
                body=body,
            )
        if not isinstance(body.get("data"), dict):
            raise unexpected_answer(self.api.connection, response, "GraphQL data")
        return body["data"]

    async def mutate(
        self, document: str, variables: Mapping[str, Any], root: str, *, idempotent: bool | None = None
    ) -> dict[str, Any]:
        """The mutation's payload object (``data[root]``); raises :class:`ShopifyUserErrors` if it has any."""
        data = await self.execute(document, variables, idempotent=idempotent)
        payload = data.get(root)
        if not isinstance(payload, dict):
            raise TerminalApiError(
                f"{self.api.connection} GraphQL {root} → answer has no {root!r} payload",
                connection=self.api.connection,
                body=data,
            )
        user_errors = payload.get("userErrors") or []
        if user_errors:
            text = "; ".join(_user_error_text(error) for error in user_errors)
            raise ShopifyUserErrors(
                f"{self.api.connection} GraphQL {root} refused: {text}",
                connection=self.api.connection,
                status=200,
                body=payload,
                user_errors=user_errors,
            )
        return payload

    def _remember_cost(self, document: str, body: Any) -> None:
        cost = cost_extension(body)
        requested = cost.get("requestedQueryCost") if cost else None
        if isinstance(requested, (int, float)) and requested > 0:
            self._costs[document] = float(requested)


def operation_of(document: str) -> tuple[str, str]:
    """(``query`` | ``mutation``, operation name) for logs and errors."""
    match = _OPERATION.match(document)
    if match is None:
        return "query", "anonymous"
    return match.group(1), match.group(2) or "anonymous"


def is_throttled(errors: Any) -> bool:
    return isinstance(errors, list) and any(
        isinstance(error, dict) and (error.get("extensions") or {}).get("code") == THROTTLED for error in errors
    )


def restore_wait(body: Any) -> float | None:
    """Seconds until the bucket holds the requested cost again, from the throttled answer itself."""
    cost, status = cost_extension(body), throttle_status(body)
    try:
        missing = float(cost["requestedQueryCost"]) - float(status["currentlyAvailable"])  # type: ignore[index]
        return max(0.0, missing / float(status["restoreRate"]))  # type: ignore[index]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _user_error_text(error: Mapping[str, Any]) -> str:
    field = error.get("field")
    where = ".".join(str(part) for part in field) if isinstance(field, list) else field
    code = f" [{error['code']}]" if error.get("code") else ""
    return f"{where}: {error.get('message')}{code}" if where else f"{error.get('message')}{code}"
