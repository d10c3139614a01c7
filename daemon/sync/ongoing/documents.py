"""What differs between sending an order and a purchase order: where each is read and written, when
it is open in Rackbeat, how it maps, and when Ongoing's copy counts as started."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Collection

from daemon.connectors.ongoing import OngoingClient
from daemon.connectors.rackbeat import RackbeatClient
from daemon.sync.ongoing.mapping import order_payload, purchase_order_payload
from daemon.sync.ongoing.reports import status_number

Record = dict[str, Any]
WAREHOUSE_STARTED = 300  # Released (orders) / Inbound (purchase orders): from here Ongoing refuses updates


@dataclass(frozen=True)
class Started:
    ongoing_id: int | None
    status: Record


@dataclass(frozen=True)
class DocumentKind:
    name: str  # ledger kind and log prefix: order | purchase_order
    lines_key: str
    fetch: Callable[[RackbeatClient, str], Awaitable[Record | None]]
    is_open: Callable[[Record], bool]  # booked and still to be delivered, in Rackbeat
    build: Callable[[Record, int, Collection[str]], Record | None]
    find: Callable[[OngoingClient, str], Awaitable[Record | None]]
    started: Callable[[Record], Started | None]  # Ongoing's copy, when the warehouse has begun on it
    upsert: Callable[[OngoingClient, Record], Awaitable[int]]


def _order_started(found: Record) -> Started | None:
    info = found.get("orderInfo") or {}
    status = info.get("orderStatus") or {}
    return Started(info.get("orderId"), status) if status_number(status) >= WAREHOUSE_STARTED else None


def _purchase_order_started(found: Record) -> Started | None:
    info = found.get("purchaseOrderInfo") or {}
    status = info.get("purchaseOrderStatus") or {}
    receiving = any(line.get("receivedNumberOfItems") for line in found.get("purchaseOrderLines") or [])
    started = receiving or status_number(status) >= WAREHOUSE_STARTED
    return Started(info.get("purchaseOrderId"), status) if started else None


ORDER = DocumentKind(
    name="order",
    lines_key="orderLines",
    fetch=lambda rackbeat, number: rackbeat.get_order(number),
    is_open=lambda o: bool(o.get("is_booked")) and not o.get("is_cancelled") and not o.get("is_shipped"),
    build=order_payload,
    find=lambda client, number: client.find_order(number),
    started=_order_started,
    upsert=lambda client, payload: client.upsert_order(payload),
)

PURCHASE_ORDER = DocumentKind(
    name="purchase_order",
    lines_key="purchaseOrderLines",
    fetch=lambda rackbeat, number: rackbeat.get_purchase_order(number),
    is_open=lambda po: bool(po.get("is_booked")) and not po.get("is_received") and not po.get("is_cancelled"),
    build=purchase_order_payload,
    find=lambda client, number: client.find_purchase_order(number),
    started=_purchase_order_started,
    upsert=lambda client, payload: client.upsert_purchase_order(payload),
)
