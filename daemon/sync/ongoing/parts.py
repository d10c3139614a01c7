"""The Ongoing flows' parts for the program: outbound jobs, the inbox routes of Rackbeat polls, of the
warehouse streams and of Ongoing's order webhook, and per warehouse the streams its switched-on flows need."""

from __future__ import annotations

from daemon.pollers.stream import Stream
from daemon.sync.ongoing.adjustments import AdjustmentFlow
from daemon.sync.ongoing.deliveries import DeliveryFlow
from daemon.sync.ongoing.intake import push_intakes
from daemon.sync.ongoing.outbound import ARTICLE_JOB, ORDER_JOB, PURCHASE_ORDER_JOB, OutboundSender
from daemon.sync.ongoing.sides import ReceiptSide, ShipmentSide
from daemon.sync.ongoing.statuses import ShippedStatuses
from daemon.sync.ongoing.streams import (
    ADJUSTMENT_TOPIC,
    RECEIPT_TOPIC,
    SHIPMENT_TOPIC,
    AdjustmentStream,
    ReceiptStream,
    ShipmentStream,
)
from daemon.sync.ongoing.warehouses import Warehouses
from daemon.sync.ongoing.webhook import ORDER_WEBHOOK_TOPIC, OrderWebhook
from daemon.sync.parts import FlowContext, FlowParts
from daemon.webhooks.dispatch import InboxHandler


def build_ongoing_parts(context: FlowContext) -> FlowParts:
    warehouses = Warehouses.build(context.config.ongoing, context.ongoing_clients)
    if not warehouses.all:
        return FlowParts()
    statuses = {w.id: ShippedStatuses(w) for w in warehouses.all}
    sender = OutboundSender(context.database, context.rackbeat, warehouses)
    routes: dict[tuple[str, str], InboxHandler] = {
        ("poll", topic): intake for topic, intake in push_intakes(context.queue, warehouses).items()
    }
    shipments = DeliveryFlow(context.database, warehouses, ShipmentSide(context.rackbeat, statuses))
    routes[("poll", SHIPMENT_TOPIC)] = shipments
    routes[("ongoing", ORDER_WEBHOOK_TOPIC)] = OrderWebhook(warehouses, shipments)
    routes[("poll", RECEIPT_TOPIC)] = DeliveryFlow(context.database, warehouses, ReceiptSide(context.rackbeat))
    routes[("poll", ADJUSTMENT_TOPIC)] = AdjustmentFlow(context.database, context.rackbeat, warehouses)
    streams: list[Stream] = []
    for warehouse in warehouses.all:
        flows = warehouse.config.flows
        if flows.shipments:
            streams.append(ShipmentStream(warehouse, statuses[warehouse.id]))
        if flows.receipts:
            streams.append(ReceiptStream(warehouse))
        if flows.adjustments:
            streams.append(AdjustmentStream(warehouse))
    return FlowParts(
        handlers={ARTICLE_JOB: sender, ORDER_JOB: sender, PURCHASE_ORDER_JOB: sender},
        routes=routes,
        streams=streams,
    )
