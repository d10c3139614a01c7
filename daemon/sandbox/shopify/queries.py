"""The Query root: lookups by id, and the filtered, sorted connections the daemon pages through."""

from __future__ import annotations

from typing import Any

from .catalog_views import InventoryItemView, LocationView, ProductView, VariantView, WebhookSubscriptionView
from .ids import gid, gid_kind, iso_z, parse_gid
from .order_views import FulfillmentOrderView, OrderView
from .paging import by_id, connection
from .search import compare, filter_items, time_matcher
from .store import ShopState
from .topics import graphql_topic

ORDER_SORT = {
    "ID": lambda o: (o.id,),
    "CREATED_AT": lambda o: (iso_z(o.created_at), o.id),
    "PROCESSED_AT": lambda o: (iso_z(o.created_at), o.id),
    "UPDATED_AT": lambda o: (iso_z(o.updated_at), o.id),
    "NUMBER": lambda o: (o.number, o.id),
    "TOTAL_PRICE": lambda o: (float(o.total_price), o.id),
    "CUSTOMER_NAME": lambda o: (o.billing_address.get("name") or "" if o.billing_address else "", o.id),
}


def _status_matches(order, term) -> bool:
    status = "cancelled" if order.cancelled_at else "closed" if order.closed_at else "open"
    return term.value in ("any", status)


def order_matchers(state: ShopState) -> dict[str, Any]:
    """Search fields of ``orders(query:)``; fulfillment_status needs the shop's fulfillments."""
    return {
        "updated_at": time_matcher("updated_at"),
        "created_at": time_matcher("created_at"),
        "processed_at": time_matcher("created_at"),
        "status": _status_matches,
        "financial_status": lambda o, t: o.financial_status == t.value,
        "fulfillment_status": lambda o, t: (state.fulfillment_status(o) or "unshipped") == t.value,
        "name": lambda o, t: o.name == t.value or o.name == f"#{t.value}",
        "id": lambda o, t: compare(o.id, t.op, int(t.value) if t.value.isdigit() else None),
        "email": lambda o, t: o.email == t.value,
    }


VARIANT_MATCHERS = {
    "sku": lambda v, t: v.sku == t.value,
    "barcode": lambda v, t: v.barcode == t.value,
    "product_id": lambda v, t: str(v.product_id) == t.value,
    "id": lambda v, t: compare(v.id, t.op, int(t.value) if t.value.isdigit() else None),
    "updated_at": time_matcher("updated_at"),
}


PRODUCT_MATCHERS = {
    "title": lambda p, t: p.title == t.value,
    "handle": lambda p, t: p.handle == t.value,
    "updated_at": time_matcher("updated_at"),
}
PRODUCT_SORT = {"TITLE": lambda p: (p.title, p.id), "UPDATED_AT": lambda p: (iso_z(p.updated_at), p.id)}
VARIANT_SORT = {"SKU": lambda v: (v.sku or "", v.id), "POSITION": lambda v: (v.position, v.id)}


class QueryRoot:
    def __init__(self, state: ShopState) -> None:
        self.state = state

    @property
    def shop(self):
        spec = self.state.spec
        return {
            "__typename": "Shop",
            "id": gid("Shop", 1),
            "name": spec.handle,
            "myshopifyDomain": spec.domain,
            "currencyCode": spec.currency,
            "taxesIncluded": spec.taxes_included,
        }

    def node(self, id: str):
        return self._node(id)

    def nodes(self, ids: list[str]):
        return [self._node(node_id) for node_id in ids]

    def _node(self, node_id: str):
        kind = gid_kind(node_id)
        finders = {
            "Order": self.order,
            "Product": self.product,
            "ProductVariant": self.product_variant,
            "InventoryItem": self.inventory_item,
            "Location": self.location,
            "FulfillmentOrder": self.fulfillment_order,
        }
        return finders[kind](node_id) if kind in finders else None

    def order(self, id: str):
        order = self.state.orders.get(parse_gid(id, "Order"))
        return OrderView(self.state, order) if order else None

    def orders(self, query: str | None = None, sort_key: str = "PROCESSED_AT", **page):
        orders = filter_items(list(self.state.orders.values()), query, order_matchers(self.state))
        return connection(orders, ORDER_SORT[sort_key], wrap=lambda o: OrderView(self.state, o), **page)

    def product(self, id: str):
        product = self.state.products.get(parse_gid(id, "Product"))
        return ProductView(self.state, product) if product else None

    def products(self, query: str | None = None, sort_key: str = "ID", **page):
        products = filter_items(list(self.state.products.values()), query, PRODUCT_MATCHERS)
        key = PRODUCT_SORT.get(sort_key, by_id)
        return connection(products, key, wrap=lambda p: ProductView(self.state, p), **page)

    def product_variant(self, id: str):
        variant = self.state.variants.get(parse_gid(id, "ProductVariant"))
        return VariantView(self.state, variant) if variant else None

    def product_variants(self, query: str | None = None, sort_key: str = "ID", **page):
        variants = filter_items(list(self.state.variants.values()), query, VARIANT_MATCHERS)
        key = VARIANT_SORT.get(sort_key, by_id)
        return connection(variants, key, wrap=lambda v: VariantView(self.state, v), **page)

    def inventory_item(self, id: str):
        item_id = parse_gid(id, "InventoryItem")
        return InventoryItemView(self.state, item_id) if item_id in self.state.inventory_items else None

    def location(self, id: str | None = None):
        location_id = parse_gid(id, "Location") if id else min(self.state.locations)
        location = self.state.locations.get(location_id)
        return LocationView(self.state, location) if location else None

    def locations(
        self, query: str | None = None, sort_key: str = "NAME", include_inactive: bool = False, **page
    ):
        locations = [loc for loc in self.state.locations.values() if loc.active or include_inactive]
        key = by_id if sort_key == "ID" else (lambda loc: (loc.name, loc.id))
        return connection(locations, key, wrap=lambda loc: LocationView(self.state, loc), **page)

    def fulfillment_order(self, id: str):
        fulfillment_order = self.state.fulfillment_orders.get(parse_gid(id, "FulfillmentOrder"))
        return FulfillmentOrderView(self.state, fulfillment_order) if fulfillment_order else None

    def webhook_subscriptions(self, topics: list[str] | None = None, uri: str | None = None, **page):
        subscriptions = [
            s
            for s in self.state.webhook_subscriptions.values()
            if (not topics or graphql_topic(s.topic) in topics) and (uri is None or s.uri == uri)
        ]
        return connection(
            subscriptions,
            by_id,
            wrap=lambda s: WebhookSubscriptionView(s, self.state.spec.api_version),
            **page,
        )
