"""Reading Ongoing's "reported number of items" protocol. Pure: Ongoing JSON in, plain values out.

Per line, ``done`` is what the warehouse did (picked on orders, received on purchase orders) and
``reported`` what we have acknowledged; ``done - reported`` is new and goes to Rackbeat exactly once,
after which ``reported`` is set to the ``done`` we booked (an absolute value, so repeating it is safe).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping

from daemon.sync.ongoing.mapping import dec

Record = Mapping[str, Any]
RECEIVED_STATUS = 500  # Ongoing's standard "Received": a purchase order at or past it is closed


@dataclass(frozen=True)
class OngoingLine:
    line_id: int
    rackbeat_line_id: int | None  # from the external line id we sent; None for lines added in Ongoing
    done: Decimal
    reported: Decimal
    expected: Decimal

    @property
    def new(self) -> Decimal:
        return self.done - self.reported


@dataclass(frozen=True)
class OngoingDocument:
    ongoing_id: int
    rackbeat_number: int | None  # None when the number is not a Rackbeat one (not sent by us)
    status: int
    ready: bool  # at a stage where what was done counts (shipped / received as configured)
    lines: tuple[OngoingLine, ...]

    @property
    def to_report(self) -> list[OngoingLine]:
        return [line for line in self.lines if line.new > 0]

    def fingerprint(self) -> str:
        """Identifies this state of the document (status, and done/reported per line) for the poll."""
        state = ";".join(f"{line.line_id}={line.done}/{line.reported}" for line in self.lines)
        return f"{self.ongoing_id}:{self.status}:{hashlib.sha1(state.encode()).hexdigest()[:12]}"


def shipment_document(order: Record, shipped_statuses: Iterable[int]) -> OngoingDocument:
    info = order["orderInfo"]
    status = status_number(info.get("orderStatus"))
    lines = tuple(
        _line(line, line.get("externalId"), "pickedNumberOfItems", "orderedNumberOfItems")
        for line in order.get("orderLines") or []
    )
    return OngoingDocument(
        int(info["orderId"]), _number(info.get("orderNumber")), status, status in set(shipped_statuses), lines
    )


def receipt_document(purchase_order: Record, *, immediately: bool) -> OngoingDocument:
    info = purchase_order["purchaseOrderInfo"]
    status = status_number(info.get("purchaseOrderStatus"))
    lines = tuple(
        _line(line, line.get("externalOrderLineId"), "receivedNumberOfItems", "advisedNumberOfItems")
        for line in purchase_order.get("purchaseOrderLines") or []
    )
    complete = status >= RECEIVED_STATUS or (bool(lines) and all(line.done >= line.expected for line in lines))
    return OngoingDocument(
        int(info["purchaseOrderId"]),
        _number(info.get("purchaseOrderNumber")),
        status,
        immediately or complete,
        lines,
    )


def shipped_statuses(listed: Iterable[Record], configured: Iterable[int]) -> frozenset[int]:
    """The configured numbers the warehouse really has. Exactly those: numbers in between are not
    implied, because warehouses put returns there too (e.g. 475 "Return" between 450 and 500)."""
    return frozenset(int(status["number"]) for status in listed) & frozenset(configured)


def _line(line: Record, external_id: Any, done_key: str, expected_key: str) -> OngoingLine:
    return OngoingLine(
        line_id=int(line["id"]),
        rackbeat_line_id=_number(external_id),
        done=dec(line.get(done_key)),
        reported=dec(line.get("reportedNumberOfItems")),
        expected=dec(line.get(expected_key)),
    )


def status_number(status: Any) -> int:
    """The number of Ongoing's ``{number, text}`` status object; 0 when absent."""
    return int(status.get("number") or 0) if isinstance(status, dict) else 0


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None
