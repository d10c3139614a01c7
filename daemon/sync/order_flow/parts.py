"""The order flow's parts: transfer, cancel and fulfil jobs; order webhooks and polls; Rackbeat shipments."""

from __future__ import annotations

from daemon.pollers.shop_streams import shop_streams
from daemon.sync.order_flow.cancel import OrderCancel
from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.fulfil import OrderFulfil
from daemon.sync.order_flow.handlers import MAPPERS, order_routes
from daemon.sync.order_flow.intake import CANCEL_KIND, TRANSFER_KIND, OrderIntake
from daemon.sync.order_flow.links import OrderLinks
from daemon.sync.order_flow.shipments import FULFIL_KIND, ShipmentWatcher
from daemon.sync.order_flow.transfer import OrderTransfer
from daemon.sync.parts import FlowContext, FlowParts
from daemon.sync.stock.parts import stock_marks


def build_order_parts(context: FlowContext) -> FlowParts:
    shops = {shop.id: shop for shop in context.config.shops if shop.orders.enabled}
    links = OrderLinks()
    stock = stock_marks(context)  # orders move stock reservations; Rackbeat takes them over on transfer
    intake = OrderIntake(context.database, context.queue, links, shops, on_stored=stock.orders_seen)
    customers = CustomerResolver(context.database, context.rackbeat)
    transfer = OrderTransfer(
        context.database, context.rackbeat, links, customers, shops, MAPPERS, on_transferred=stock.order_transferred
    )
    watcher = ShipmentWatcher(context.database, context.queue, context.rackbeat)
    return FlowParts(
        handlers={
            TRANSFER_KIND: transfer,
            CANCEL_KIND: OrderCancel(context.database, context.rackbeat, links),
            FULFIL_KIND: OrderFulfil(context.database, context.rackbeat, shops, context.shop_clients),
        },
        routes={
            **order_routes(intake, context.queue),
            ("rackbeat", "order.shipped"): watcher,
            ("poll", "rackbeat.order"): watcher,
        },
        streams=shop_streams(context.shop_clients, context.config.shops),
    )
