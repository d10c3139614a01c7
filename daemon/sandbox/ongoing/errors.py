"""Error answers in Ongoing's (ASP.NET Web API) shapes.

Domain code raises :class:`ApiError`; the middleware in ``middleware.py`` turns it into JSON, so
handlers never build error responses by hand. Validation failures carry ``modelState``
(``{"field": ["error", ...]}``), everything else only ``message``.
"""

from __future__ import annotations

from typing import Any

# What IIS/ASP.NET answers for any unhandled server error (note the capital M).
SERVER_ERROR_BODY = {"Message": "An error has occurred."}


class ApiError(Exception):
    def __init__(self, status: int, message: str, model_state: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.model_state = model_state

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.model_state is not None:
            body["modelState"] = self.model_state
        return body


def not_found(what: str, key: object) -> ApiError:
    return ApiError(404, f"{what} {key} was not found.")


def forbidden_goods_owner(given: object) -> ApiError:
    """[inferred] Naming a goods owner the API user does not belong to is forbidden (403, not 404)."""
    return ApiError(403, f"The API user does not have access to goods owner {given}.")


def refused(message: str) -> ApiError:
    """A business-rule refusal (e.g. the warehouse already works on the order): 400 without modelState."""
    return ApiError(400, message)


class Problems:
    """Collects validation messages per field, then raises them together as one 400."""

    def __init__(self) -> None:
        self.model_state: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.model_state.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.model_state:
            raise ApiError(400, "The request is invalid.", self.model_state)
