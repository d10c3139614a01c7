"""Inbox handlers that feed the order flow: shop order webhooks and polls, and products appearing.

Webhook and poll sightings of one order take the same path (``OrderIntake.accept``), so an order seen
both ways is handled once.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from daemon.errors import TerminalError
from daemon.queue.store import JobQueue
from daemon.sync.rackbeat_items import record_number
from daemon.sync.order_flow.intake import Mapper, OrderIntake, Sighting
from daemon.sync.orders import order_from_shopify_graphql, order_from_shopify_rest, order_from_woocommerce
from daemon.sync.model import Order
from daemon.webhooks.dispatch import InboxHandler, InboxItem, Outcome

SHOPIFY_REST, SHOPIFY_GRAPHQL, WOOCOMMERCE = "shopify_rest", "shopify_graphql", "woocommerce"
MAPPERS: Mapping[str, Mapper] = {
    SHOPIFY_REST: order_from_shopify_rest,
    SHOPIFY_GRAPHQL: order_from_shopify_graphql,
    WOOCOMMERCE: order_from_woocommerce,
}
SHOPIFY_ORDER_TOPICS = (
    "orders/create",
    "orders/updated",
    "orders/paid",
    "orders/cancelled",
    "orders/fulfilled",
    "orders/partially_fulfilled",
)
WOO_ORDER_TOPICS = ("order.created", "order.updated", "order.restored")
POLLED_SHOPIFY_ORDER = "shopify.order"
POLLED_WOO_ORDER = "woocommerce.order"


class ShopOrderHandler:
    """Shop order payloads (of a known format) into the intake.

    Of several items about one order handed over together (a shop sends one snapshot as orders/create,
    /paid and /updated at once) only the newest goes in: the others would be stale or duplicates, and
    would only wait for its transaction to learn so. Distinct orders go in together, in one transaction."""

    def __init__(self, intake: OrderIntake, payload_format: str) -> None:
        self._intake = intake
        self._format = payload_format

    async def handle(self, item: InboxItem) -> None:
        [outcome] = await self.handle_many([item])
        if outcome is not None:
            raise outcome

    async def handle_many(self, items: Sequence[InboxItem]) -> list[Outcome]:
        outcomes: list[Outcome] = [None] * len(items)
        orders: dict[int, Order] = {}
        newest: dict[tuple[str, str], int] = {}  # the order's item to accept, by index
        for index, item in enumerate(items):
            try:
                order = orders[index] = self._read(item)
            except Exception as exc:  # noqa: BLE001 - this item's outcome alone, as handle would raise it
                outcomes[index] = exc
                continue
            key = (order.shop_id, order.shop_order_id)
            if key not in newest or order.updated_at >= orders[newest[key]].updated_at:
                newest[key] = index
        accepted = await self._intake.accept_many(
            [Sighting(orders[i], self._format, items[i].payload) for i in newest.values()]
        )
        by_order = dict(zip(newest, accepted, strict=True))
        for index, order in orders.items():
            result = by_order[(order.shop_id, order.shop_order_id)]
            outcomes[index] = result if isinstance(result, BaseException) else None
        return outcomes

    def _read(self, item: InboxItem) -> Order:
        """The canonical order; a payload it cannot be read from is parked with what is missing (retrying
        would only fail the same way)."""
        try:
            return MAPPERS[self._format](item.payload, item.connection)
        except (LookupError, ValueError, TypeError, AttributeError, ArithmeticError) as exc:  # missing or misshapen
            what = f"missing field {exc.args[0]!r}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
            raise TerminalError(
                f"shop {item.connection}: {item.topic} delivery {item.inbox_id} is not a readable {self._format} "
                f"order (order id {item.payload.get('id')!r}): {what}",
                shop=item.connection,
                order=str(item.payload.get("id")),
            ) from exc


class ProductAppearedHandler:
    """A product created in Rackbeat releases the orders parked waiting for its SKU."""

    def __init__(self, queue: JobQueue) -> None:
        self._queue = queue

    async def handle(self, item: InboxItem) -> None:
        number = record_number(item.payload)
        if number:
            await self._queue.release_blocked(f"sku:{number}")


def order_routes(intake: OrderIntake, queue: JobQueue) -> dict[tuple[str, str], InboxHandler]:
    shopify = ShopOrderHandler(intake, SHOPIFY_REST)
    woo = ShopOrderHandler(intake, WOOCOMMERCE)
    appeared = ProductAppearedHandler(queue)
    routes: dict[tuple[str, str], InboxHandler] = {("shopify", topic): shopify for topic in SHOPIFY_ORDER_TOPICS}
    routes |= {("woocommerce", topic): woo for topic in WOO_ORDER_TOPICS}
    routes[("poll", POLLED_SHOPIFY_ORDER)] = ShopOrderHandler(intake, SHOPIFY_GRAPHQL)
    routes[("poll", POLLED_WOO_ORDER)] = woo
    routes[("rackbeat", "product.created")] = appeared
    routes[("poll", "rackbeat.product")] = appeared
    return routes
