"""The "reported number of items" protocol shared by orders (picked) and purchase orders (received).

The goods owner reads ``done - reported`` per line, books it, then PATCHes ``reportedNumberOfItems``
(per line, or all lines at once to the done figure). ``reportedNumberOfItems`` is null until then.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Iterable, Protocol, TypeVar

from .errors import Problems, not_found
from .payload import Reader


class Reportable(Protocol):
    id: int
    reported: Decimal | None


R = TypeVar("R", bound=Reportable)


def line_by_id(lines: Iterable[R], line_id: int, owner: str) -> R:
    found = next((line for line in lines if line.id == line_id), None)
    if found is None:
        raise not_found(f"Line with id {line_id} on", owner)
    return found


def read_reported(body: dict[str, Any]) -> Decimal:
    """The ``{"reportedNumberOfItems": n}`` body of the per-line PATCH; n must be >= 0."""
    reader = Reader(body, Problems())
    value = reader.number("reportedNumberOfItems", required=True)
    if value is not None and value < 0:
        reader.problems.add("reportedNumberOfItems", "The reported number of items cannot be negative.")
    reader.problems.raise_if_any()
    return value  # type: ignore[return-value]


def report_all(lines: Iterable[R], done: Callable[[R], Decimal]) -> None:
    for line in lines:
        line.reported = done(line)
