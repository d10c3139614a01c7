"""Small shared steps of every state change: stamping updated_at and announcing it as Shopify would."""

from __future__ import annotations

from .ids import now_utc
from .rest_json import inventory_level_json, order_json, product_json
from .store import InventoryLevel, Order, Product, ShopState


def order_changed(state: ShopState, order: Order, *topics: str) -> None:
    """Bump ``updated_at`` and fire ``topics`` plus ``orders/updated``; one payload snapshot serves them all.

    [I] orders/updated also follows orders/create: receivers in the wild see both for a new order.
    """
    order.updated_at = now_utc()
    payload = order_json(state, order)
    for topic in (*topics, "orders/updated"):
        state.publish(topic, payload)


def product_changed(state: ShopState, product: Product, topic: str) -> None:
    product.updated_at = now_utc()
    state.publish(topic, product_json(state, product))


def level_changed(state: ShopState, level: InventoryLevel) -> None:
    level.updated_at = now_utc()
    state.publish("inventory_levels/update", inventory_level_json(level))
