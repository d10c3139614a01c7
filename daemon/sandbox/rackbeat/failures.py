"""Error answers in Rackbeat's (Laravel's) shape: ``{"message": ..., "errors": {"dotted.path": [...]}}``.

Domain code raises :class:`ApiFailure`; a middleware turns it into the JSON answer, so handlers never
build error responses by hand.
"""

from __future__ import annotations

from typing import Any


class ApiFailure(Exception):
    """An API error answer: HTTP status, top-level message and optional per-field messages."""

    def __init__(self, status: int, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def not_found(what: str) -> ApiFailure:
    return ApiFailure(404, f"{what} not found.")


def unprocessable(path: str, message: str) -> ApiFailure:
    """A single business-rule failure, reported like Laravel validation (422, dotted key)."""
    return ApiFailure(422, message, {path: [message]})


class Problems:
    """Collects validation messages under dotted request paths, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            extra = sum(len(v) for v in self.errors.values()) - 1
            message = first if not extra else f"{first} (and {extra} more error{'s' if extra > 1 else ''})"
            raise ApiFailure(422, message, self.errors)
