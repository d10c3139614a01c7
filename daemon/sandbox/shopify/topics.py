"""Webhook topics in their two spellings: GraphQL enum ``ORDERS_PARTIALLY_FULFILLED`` and REST
``orders/partially_fulfilled`` (the form X-Shopify-Topic carries)."""

from __future__ import annotations


def rest_topic(enum_value: str) -> str:
    resource, _, action = enum_value.lower().partition("_")
    if resource == "inventory":  # INVENTORY_LEVELS_UPDATE, INVENTORY_ITEMS_CREATE
        kind, _, action = action.partition("_")
        resource = f"inventory_{kind}"
    return f"{resource}/{action}"


def graphql_topic(topic: str) -> str:
    return topic.upper().replace("/", "_")
