"""The order flow's parts for the program: transfer and cancel jobs, order webhooks and polls."""

from __future__ import annotations

from daemon.sync.order_flow.cancel import OrderCancel
from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.handlers import MAPPERS, order_routes
from daemon.sync.order_flow.intake import CANCEL_KIND, TRANSFER_KIND, OrderIntake
from daemon.sync.order_flow.links import OrderLinks
from daemon.sync.order_flow.transfer import OrderTransfer
from daemon.sync.parts import FlowContext, FlowParts


def build_order_parts(context: FlowContext) -> FlowParts:
    shops = {shop.id: shop for shop in context.config.shops if shop.orders.enabled}
    links = OrderLinks()
    intake = OrderIntake(context.database, context.queue, links, shops)
    customers = CustomerResolver(context.database, context.rackbeat)
    transfer = OrderTransfer(context.database, context.rackbeat, links, customers, shops, MAPPERS)
    return FlowParts(
        handlers={
            TRANSFER_KIND: transfer,
            CANCEL_KIND: OrderCancel(context.database, context.rackbeat, links),
        },
        routes=order_routes(intake, context.queue),
    )
