"""GraphQL views of catalog, inventory, locations and webhook subscriptions.

The emulator's field resolver maps a camelCase field to the snake_case attribute of these classes and calls
methods with the field's arguments, so each view reads like the Shopify type it stands for.
"""

from __future__ import annotations

from typing import Any

from .ids import gid, parse_gid
from .inventory import level_gid
from .paging import connection
from .topics import graphql_topic
from .store import (
    InventoryAdjustmentGroup,
    InventoryChange,
    InventoryLevel,
    Location,
    Product,
    ShopState,
    Variant,
    WebhookSubscription,
)


def mirror(view: Any, record: Any, names: str) -> None:
    """Copy the same-named values of a record (object or REST-style dict) onto a view."""
    for name in names.split():
        setattr(view, name, record.get(name) if isinstance(record, dict) else getattr(record, name))


class LocationView:
    typename = "Location"

    def __init__(self, state: ShopState, location: Location) -> None:
        self.state, self.location = state, location
        self.id = gid("Location", location.id)
        self.legacy_resource_id = location.id
        self.name = location.name
        self.is_active = location.active
        self.fulfills_online_orders = True

    def inventory_level(self, inventory_item_id: str):
        level = self.state.level(parse_gid(inventory_item_id, "InventoryItem"), self.location.id)
        return InventoryLevelView(self.state, level) if level else None


class InventoryLevelView:
    typename = "InventoryLevel"

    def __init__(self, state: ShopState, level: InventoryLevel) -> None:
        self.state, self.level = state, level
        self.id = level_gid(level)
        self.created_at, self.updated_at = level.created_at, level.updated_at

    @property
    def item(self):
        return InventoryItemView(self.state, self.level.inventory_item_id)

    @property
    def location(self):
        return LocationView(self.state, self.state.locations[self.level.location_id])

    def quantities(self, names: list[str]):
        return [
            {
                "id": f"{self.id}&name={name}",
                "name": name,
                "quantity": self.level.quantity(name),
                "updatedAt": self.updated_at,
            }
            for name in names
        ]


class InventoryItemView:
    typename = "InventoryItem"

    def __init__(self, state: ShopState, item_id: int) -> None:
        self.state = state
        self.item = state.inventory_items[item_id]
        self.id = gid("InventoryItem", item_id)
        self.legacy_resource_id = item_id
        self.tracked = self.item.tracked
        self.requires_shipping = self.item.requires_shipping
        self.created_at, self.updated_at = self.item.created_at, self.item.updated_at

    @property
    def sku(self):
        return self.state.variants[self.item.variant_id].sku

    @property
    def duplicate_sku_count(self) -> int:
        return len(self.state.variants_by_sku(self.sku)) - 1 if self.sku else 0

    @property
    def variant(self):
        return VariantView(self.state, self.state.variants[self.item.variant_id])

    def inventory_level(self, location_id: str):
        level = self.state.level(self.item.id, parse_gid(location_id, "Location"))
        return InventoryLevelView(self.state, level) if level else None

    def inventory_levels(self, **page):
        levels = self.state.levels_of_item(self.item.id)
        return connection(
            levels, lambda lv: (lv.location_id,), wrap=lambda lv: InventoryLevelView(self.state, lv), **page
        )


class VariantView:
    typename = "ProductVariant"

    def __init__(self, state: ShopState, variant: Variant) -> None:
        self.state, self.variant = state, variant
        self.id = gid("ProductVariant", variant.id)
        self.legacy_resource_id = variant.id
        mirror(self, variant, "sku title price compare_at_price barcode position taxable inventory_policy")
        mirror(self, variant, "created_at updated_at")

    @property
    def display_name(self) -> str:
        return f"{self.state.products[self.variant.product_id].title} - {self.title}"

    @property
    def inventory_quantity(self) -> int:
        return sum(level.available for level in self.state.levels_of_item(self.variant.inventory_item_id))

    @property
    def selected_options(self):
        names = self.state.products[self.variant.product_id].option_names
        return [{"name": name, "value": value} for name, value in zip(names, self.variant.options)]

    @property
    def product(self):
        return ProductView(self.state, self.state.products[self.variant.product_id])

    @property
    def inventory_item(self):
        return InventoryItemView(self.state, self.variant.inventory_item_id)


class ProductView:
    typename = "Product"

    def __init__(self, state: ShopState, product: Product) -> None:
        self.state, self.product = state, product
        self.id = gid("Product", product.id)
        self.legacy_resource_id = product.id
        self.description_html = product.description_html
        mirror(self, product, "title handle status vendor product_type tags created_at updated_at")

    def options(self, first: int | None = None):
        variants = [self.state.variants[vid] for vid in self.product.variant_ids]
        options = [
            {
                "id": gid("ProductOption", self.product.id * 10 + index),
                "name": name,
                "position": index + 1,
                "values": list(dict.fromkeys(v.options[index] for v in variants)),
            }
            for index, name in enumerate(self.product.option_names)
        ]
        return options[:first] if first is not None else options

    @property
    def variants_count(self):
        return {"count": len(self.product.variant_ids)}

    def variants(self, **page):
        variants = [self.state.variants[vid] for vid in self.product.variant_ids]
        return connection(
            variants, lambda v: (v.position, v.id), wrap=lambda v: VariantView(self.state, v), **page
        )


class InventoryChangeView:
    def __init__(self, state: ShopState, change: InventoryChange, ledger_document_uri: str | None) -> None:
        self.name, self.delta, self.quantity_after_change = (
            change.name,
            change.delta,
            change.quantity_after_change,
        )
        self.ledger_document_uri = ledger_document_uri if change.name == "on_hand" else None
        self.item = (
            InventoryItemView(state, change.inventory_item_id)
            if change.inventory_item_id in state.inventory_items
            else None
        )
        self.location = LocationView(state, state.locations[change.location_id])


class AdjustmentGroupView:
    typename = "InventoryAdjustmentGroup"

    def __init__(self, state: ShopState, group: InventoryAdjustmentGroup) -> None:
        self.state, self.group = state, group
        self.id = gid("InventoryAdjustmentGroup", group.id)
        self.created_at, self.reason = group.created_at, group.reason
        self.reference_document_uri = group.reference_document_uri

    def changes(self, inventory_item_ids=None, location_ids=None, quantity_names=None):
        items = {parse_gid(i, "InventoryItem") for i in inventory_item_ids or []}
        locations = {parse_gid(i, "Location") for i in location_ids or []}
        return [
            InventoryChangeView(self.state, change, self.reference_document_uri)
            for change in self.group.changes
            if (not items or change.inventory_item_id in items)
            and (not locations or change.location_id in locations)
            and (not quantity_names or change.name in quantity_names)
        ]


class WebhookSubscriptionView:
    typename = "WebhookSubscription"

    def __init__(self, subscription: WebhookSubscription, api_version: str) -> None:
        self.id = gid("WebhookSubscription", subscription.id)
        self.legacy_resource_id = subscription.id
        self.topic = graphql_topic(subscription.topic)
        self.uri, self.format = subscription.uri, subscription.format
        self.include_fields, self.filter = subscription.include_fields, None
        self.created_at, self.updated_at = subscription.created_at, subscription.updated_at
        self.api_version = {"handle": api_version, "displayName": api_version, "supported": True}
