"""The product flow's parts for the program.

Some routes are heard by other flows too (Rackbeat ``product.created`` and polled products: the order
flow releases parked orders, the stock flow re-pushes stock; shop product webhooks: the stock flow
relinks SKUs); ``FlowParts.merge`` hands such items to every flow in turn.
"""

from __future__ import annotations

from daemon.sync.parts import FlowContext, FlowParts
from daemon.sync.products.echo import EchoGuard
from daemon.sync.products.handlers import (
    TO_SHOP_KIND,
    ProductToShopJob,
    RackbeatProductChanged,
    ShopProductChanged,
)
from daemon.sync.products.rackbeat_products import RackbeatProducts
from daemon.sync.products.shop_writers import writer_for
from daemon.sync.products.to_rackbeat import ShopToRackbeat
from daemon.sync.products.to_shop import RackbeatToShop
from daemon.webhooks.dispatch import InboxHandler

RACKBEAT_ROUTES = (
    ("rackbeat", "product.created"),
    ("rackbeat", "product.updated"),
    ("rackbeat", "product.deleted"),
    ("poll", "rackbeat.product"),
)
SHOPIFY_PRODUCT_TOPICS = ("products/create", "products/update")
WOO_PRODUCT_TOPICS = ("product.created", "product.updated")


def _masters(context: FlowContext, master: str) -> dict:
    return {
        shop.id: shop
        for shop in context.config.shops
        if shop.products.master == master and shop.id in context.shop_clients
    }


def build_product_parts(context: FlowContext) -> FlowParts:
    echo = EchoGuard(context.database)
    rackbeat_master = _masters(context, "rackbeat")
    writers = {shop_id: writer_for(context.shop_clients[shop_id], shop_id) for shop_id in rackbeat_master}
    to_shop = RackbeatToShop(echo, writers, rackbeat_master)
    products = RackbeatProducts(context.rackbeat, context.queue, context.database)
    shop_changed = ShopProductChanged(ShopToRackbeat(products, echo), _masters(context, "shop"), context.shop_clients)
    changed = RackbeatProductChanged(context.queue, list(rackbeat_master))
    routes: dict[tuple[str, str], InboxHandler] = {route: changed for route in RACKBEAT_ROUTES}
    routes |= {("shopify", topic): shop_changed for topic in SHOPIFY_PRODUCT_TOPICS}
    routes |= {("woocommerce", topic): shop_changed for topic in WOO_PRODUCT_TOPICS}
    return FlowParts(handlers={TO_SHOP_KIND: ProductToShopJob(context.rackbeat, to_shop)}, routes=routes)
