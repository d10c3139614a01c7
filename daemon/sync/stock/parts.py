"""The stock flow's parts for the program: push and reconcile jobs, the triggers' inbox routes, the
reconcile clock per shop."""

from __future__ import annotations

from daemon.config.model import ShopConfig
from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.woocommerce.client import WooClient
from daemon.logs.setup import get_logger
from daemon.sync.parts import FlowContext, FlowParts
from daemon.sync.stock.handlers import RackbeatStockChanged, ShopifyProductChanged, WooProductChanged
from daemon.sync.stock.levels import StockLevels
from daemon.sync.stock.linker import Linker
from daemon.sync.stock.links import StockLinks
from daemon.sync.stock.marks import PUSH_KIND, StockMarks
from daemon.sync.stock.pusher import StockPusher, StockShop
from daemon.sync.stock.rackbeat_stock import RackbeatStock
from daemon.sync.stock.reconcile import RECONCILE_DUE, RECONCILE_KIND, ReconcileClock, ReconcileDue, StockReconcile
from daemon.sync.stock.reservations import Reservations
from daemon.sync.stock.shop_targets import ShopifyTarget, WooTarget

log = get_logger()
DEBOUNCE_S = 0.2  # a new push job waits this long, so the first changes of a burst travel together
SETTLE_S = 1.0  # a push round starts once no mark arrived for this long...
MAX_WAIT_S = 15.0  # ...or its oldest mark is this old (a steady trickle: one Rackbeat listing per 15 s)
LISTING_GATHER_S = 0.25  # a catalogue listing waits this long for the other shops' rounds to join it
SHOPIFY_PRODUCT_TOPICS = ("products/create", "products/update")
WOO_PRODUCT_TOPICS = ("product.created", "product.updated")


class StockFlow:
    """The stock flow's objects, built once; ``marks`` is what the order flow's hooks call."""

    def __init__(
        self,
        context: FlowContext,
        *,
        debounce_s: float = DEBOUNCE_S,
        settle_s: float = SETTLE_S,
        max_wait_s: float = MAX_WAIT_S,
        listing_gather_s: float = LISTING_GATHER_S,
    ) -> None:
        self.shops = stock_shops(context)
        self.clients = {shop_id: context.shop_clients[shop_id] for shop_id in self.shops}
        levels, links = StockLevels(), StockLinks()
        self.database, self.levels = context.database, levels
        self.rackbeat = RackbeatStock(context.rackbeat, gather_s=listing_gather_s)
        self.marks = StockMarks(context.database, context.queue, levels, list(self.shops), debounce_s=debounce_s)
        self.linker = Linker(context.database, links, self.rackbeat)
        targets = {shop_id: StockShop(shop_id, self.shops[shop_id].stock.location, _target(shop_id, client))
                   for shop_id, client in self.clients.items()}
        reservations = Reservations(context.database)
        self.pusher = StockPusher(
            context.database, levels, links, reservations, self.rackbeat, targets, settle_s=settle_s, max_wait_s=max_wait_s
        )
        self.reconcile = StockReconcile(self.linker, self.marks, self.clients)
        self.queue = context.queue

    def parts(self) -> FlowParts:
        changed = RackbeatStockChanged(self.marks)
        routes = {("rackbeat", "inventory.changed"): changed, ("poll", "rackbeat.product"): changed}
        routes[("poll", RECONCILE_DUE)] = ReconcileDue(self.queue)
        if any(isinstance(c, ShopifyClient) for c in self.clients.values()):
            shopify = ShopifyProductChanged(self.linker, self.marks)
            routes |= {("shopify", topic): shopify for topic in SHOPIFY_PRODUCT_TOPICS}
        woo_clients = {shop_id: c for shop_id, c in self.clients.items() if isinstance(c, WooClient)}
        if woo_clients:
            woo = WooProductChanged(self.linker, self.marks, woo_clients, self.database, self.levels)
            routes |= {("woocommerce", topic): woo for topic in WOO_PRODUCT_TOPICS}
        return FlowParts(
            handlers={PUSH_KIND: self.pusher, RECONCILE_KIND: self.reconcile},
            routes=routes,
            streams=[ReconcileClock(shop.id, shop.stock.reconcile_interval_s) for shop in self.shops.values()],
        )


def stock_shops(context: FlowContext) -> dict[str, ShopConfig]:
    """Shops with stock sync on and a client to reach them."""
    shops = {}
    for shop in context.config.shops:
        if not shop.stock.enabled:
            continue
        if shop.id not in context.shop_clients:
            log.warning("stock.shop_without_client", shop=shop.id)
            continue
        shops[shop.id] = shop
    return shops


def stock_marks(context: FlowContext, *, debounce_s: float = DEBOUNCE_S) -> StockMarks:
    """The triggers' entry point, also for the order flow's hooks (``orders_seen``, ``order_transferred``)."""
    return StockMarks(context.database, context.queue, StockLevels(), list(stock_shops(context)), debounce_s=debounce_s)


def _target(shop_id: str, client: ShopifyClient | WooClient) -> ShopifyTarget | WooTarget:
    if isinstance(client, ShopifyClient):
        return ShopifyTarget(shop_id, client)
    return WooTarget(shop_id, client)


def build_stock_parts(context: FlowContext) -> FlowParts:
    return StockFlow(context).parts()
