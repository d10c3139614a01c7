"""Status lists. Each Ongoing warehouse may rename, renumber, add or delete statuses, so the lists are
configurable; the emulator's own workflow only needs to know which number plays which role.

Roles are compared by number ("the warehouse has started" means ``status >= released``), as Ongoing
orders its statuses by workflow.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError

STANDARD_ORDER_STATUSES = [
    (150, "Error"),
    (200, "Open"),
    (300, "Released"),
    (320, "Allocated"),
    (400, "Picked"),
    (450, "Sent"),
    (500, "Collected"),
    (800, "Returned"),
    (1000, "Cancelled"),
]

STANDARD_PURCHASE_ORDER_STATUSES = [
    (100, "Notified"),
    (200, "Arrival space"),
    (300, "Inbound"),
    (400, "Deflection"),
    (500, "Received"),
    (900, "Cancelled"),
]


class StatusList:
    """Numbered, named statuses as ``GET .../statuses`` lists them."""

    def __init__(self, entries: list[tuple[int, str]]) -> None:
        self.entries = sorted(entries)
        self.texts = dict(self.entries)

    def text(self, number: int) -> str:
        return self.texts[number]

    def as_json(self, number: int) -> dict[str, Any]:
        return {"number": number, "text": self.text(number)}

    def check_roles(self, **roles: int) -> None:
        """Fail fast when a workflow role names a status the list does not have."""
        missing = {role: number for role, number in roles.items() if number not in self.texts}
        if missing:
            raise ValueError(f"status roles not in the status list: {missing}")

    def require(self, number: int, field: str) -> int:
        if number not in self.texts:
            raise ApiError(400, "The request is invalid.", {field: [f"Unknown status number {number}."]})
        return number


class OrderStatuses(StatusList):
    """Order statuses plus the numbers the simulated warehouse moves orders through."""

    def __init__(
        self,
        entries: list[tuple[int, str]] | None = None,
        *,
        open: int = 200,
        released: int = 300,
        allocated: int = 320,
        picked: int = 400,
        sent: int = 450,
        collected: int = 500,
        cancelled: int = 1000,
    ) -> None:
        super().__init__(entries or STANDARD_ORDER_STATUSES)
        self.open, self.released, self.allocated = open, released, allocated
        self.picked, self.sent, self.collected, self.cancelled = picked, sent, collected, cancelled
        self.check_roles(
            open=open, released=released, allocated=allocated, picked=picked, sent=sent, collected=collected,
            cancelled=cancelled,
        )  # fmt: skip


class PurchaseOrderStatuses(StatusList):
    def __init__(
        self,
        entries: list[tuple[int, str]] | None = None,
        *,
        notified: int = 100,
        inbound: int = 300,
        deviation: int = 400,
        received: int = 500,
        cancelled: int = 900,
    ) -> None:
        super().__init__(entries or STANDARD_PURCHASE_ORDER_STATUSES)
        self.notified, self.inbound, self.deviation = notified, inbound, deviation
        self.received, self.cancelled = received, cancelled
        self.check_roles(
            notified=notified, inbound=inbound, deviation=deviation, received=received, cancelled=cancelled
        )
