"""One Shopify shop's Admin GraphQL API as the daemon uses it: Shopify JSON in and out, no mapping.

Ids may be given as REST numbers or gids; answers carry gids. Query cost decides page sizes (see
``documents``): an orders page holds 3 orders of up to 20 lines, and an order with more lines is
read again on its own with up to ``ORDER_LINES_MAX`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator, Mapping, Sequence

import aiohttp
import structlog

from daemon.config.model import ShopConfig
from daemon.connectors.shopify import documents
from daemon.connectors.shopify.connection import admin_url, check_api_version, cost_observer, shopify_headers
from daemon.connectors.shopify.graphql import GraphQL
from daemon.connectors.shopify.ids import search_value, to_gid, updated_between
from daemon.connectors.shopify.inputs import (
    FulfillmentLines,
    Quantity,
    Tracking,
    fulfillment_input,
    set_quantities_input,
)
from daemon.connectors.shopify.pagination import Node, iter_connection
from daemon.http.client import ApiClient
from daemon.http.ratelimit import RateLimiter

ORDER_LINES_MAX = 77  # ORDER_BY_ID costs 70 + 12 per line: 77 lines = 994 of the 1000 points allowed


@dataclass(frozen=True)
class VariantRef:
    """What the SKU map needs of a variant (SKUs are not unique in Shopify: expect several per SKU)."""

    sku: str
    variant_id: str
    inventory_item_id: str
    product_id: str


class ShopifyClient:
    def __init__(self, api: ApiClient, api_version: str) -> None:
        check_api_version(api_version)
        self.api = api
        self.api_version = api_version
        self.graphql = GraphQL(api)
        self._log = structlog.get_logger(connection=api.connection)

    @classmethod
    def create(cls, shop: ShopConfig, session: aiohttp.ClientSession, limiter: RateLimiter) -> ShopifyClient:
        if shop.access_token is None:
            raise ValueError(f"shop {shop.id!r} has no access_token")
        api = ApiClient(
            shop.id,
            admin_url(shop.api_url, shop.api_version),
            session=session,
            limiter=limiter,
            headers=shopify_headers(shop.access_token.get_secret_value()),
            observe=cost_observer(limiter),
        )
        return cls(api, shop.api_version)

    async def execute(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return await self.graphql.execute(document, variables)

    # -- orders ------------------------------------------------------------------------------------

    async def orders_updated_since(self, since: datetime, until: datetime | None = None) -> AsyncIterator[list[Node]]:
        """Pages of order nodes updated in ``[since, until]``, oldest change first."""
        variables = {"query": updated_between(since, until)}
        async for page in iter_connection(self.graphql, documents.ORDERS_UPDATED_SINCE, variables, "orders"):
            yield [await self._with_all_lines(node) for node in page]

    async def order(self, gid_or_id: str | int, *, line_items: int = 50) -> Node | None:
        data = await self.graphql.execute(
            documents.ORDER_BY_ID, {"id": to_gid("Order", gid_or_id), "lineItems": line_items}
        )
        return data.get("order")

    async def _with_all_lines(self, node: Node) -> Node:
        if not _more_lines(node):
            return node
        full = await self.order(node["id"], line_items=ORDER_LINES_MAX) or node
        if _more_lines(full):
            self._log.error("shopify.order_lines_truncated", order=node.get("name"), lines=ORDER_LINES_MAX)
        return full

    # -- catalog -----------------------------------------------------------------------------------

    async def variants_by_sku(self, sku: str) -> list[Node]:
        data = await self.graphql.execute(documents.VARIANTS_BY_SKU, {"query": f"sku:{search_value(sku)}"})
        return [node for node in data["productVariants"]["nodes"] if node.get("sku") == sku]

    async def iter_variants(self) -> AsyncIterator[list[VariantRef]]:
        """Every variant with a SKU, 250 per request, for building the SKU map."""
        async for page in iter_connection(self.graphql, documents.VARIANTS_PAGE, {}, "productVariants"):
            yield [
                VariantRef(node["sku"], node["id"], node["inventoryItem"]["id"], node["product"]["id"])
                for node in page
                if node.get("sku")
            ]

    async def product_set(self, input: Mapping[str, Any], identifier: Mapping[str, Any] | None = None) -> Node:
        """Create or update a whole product; list fields are replaced (variants left out are deleted)."""
        payload = await self.graphql.mutate(
            documents.PRODUCT_SET, {"input": dict(input), "identifier": identifier}, "productSet"
        )
        return payload["product"]

    async def variants_bulk_update(
        self, product_id: str | int, variants: Sequence[Mapping[str, Any]], *, allow_partial_updates: bool = False
    ) -> list[Node]:
        payload = await self.graphql.mutate(
            documents.VARIANTS_BULK_UPDATE,
            {
                "productId": to_gid("Product", product_id),
                "variants": [dict(variant) for variant in variants],
                "allowPartialUpdates": allow_partial_updates,
            },
            "productVariantsBulkUpdate",
        )
        return payload.get("productVariants") or []

    # -- inventory ---------------------------------------------------------------------------------

    async def locations(self) -> list[Node]:
        return (await self.graphql.execute(documents.LOCATIONS))["locations"]["nodes"]

    async def set_inventory(
        self,
        quantities: Sequence[Quantity],
        *,
        idempotency_key: str,
        reason: str = "correction",
        reference_document_uri: str | None = None,
    ) -> Node | None:
        """Set ``available`` absolutely for up to 250 (item, location) pairs, all or nothing.

        The same ``idempotency_key`` must be reused when retrying the same change, and a new one used
        for a new change; that is what makes a retry after a lost answer safe. Returns the adjustment
        group's id only (None when nothing changed): asking for its 2 x 250 changes would cost the shop
        a response as large as the request, and nobody reads them.
        """
        variables = {
            "input": set_quantities_input(
                quantities, api_version=self.api_version, reason=reason, reference_document_uri=reference_document_uri
            ),
            "idempotencyKey": idempotency_key,
        }
        payload = await self.graphql.mutate(
            documents.INVENTORY_SET_QUANTITIES, variables, "inventorySetQuantities", idempotent=True
        )
        return payload.get("inventoryAdjustmentGroup")

    # -- fulfillment -------------------------------------------------------------------------------

    async def fulfillment_orders(self, order_id: str | int) -> list[Node]:
        """The order's fulfillment orders with their lines' ``remainingQuantity`` (empty if no such order)."""
        data = await self.graphql.execute(documents.FULFILLMENT_ORDERS_OF_ORDER, {"id": to_gid("Order", order_id)})
        order = data.get("order")
        return order["fulfillmentOrders"]["nodes"] if order else []

    async def fulfillment_create(
        self,
        lines_by_fulfillment_order: FulfillmentLines,
        tracking: Tracking | None = None,
        notify_customer: bool = False,
        *,
        message: str | None = None,
    ) -> Node:
        """Fulfil the given lines (``None`` = all that remains of that fulfillment order).

        Not idempotent: after a lost answer the caller re-reads ``fulfillment_orders`` before retrying.
        """
        fulfillment = fulfillment_input(lines_by_fulfillment_order, tracking, notify_customer)
        payload = await self.graphql.mutate(
            documents.FULFILLMENT_CREATE, {"fulfillment": fulfillment, "message": message}, "fulfillmentCreate"
        )
        return payload["fulfillment"]

    # -- webhooks ----------------------------------------------------------------------------------

    async def webhook_subscribe(self, topic: str, uri: str) -> Node:
        """``topic`` in GraphQL spelling (``ORDERS_UPDATED``)."""
        payload = await self.graphql.mutate(
            documents.WEBHOOK_SUBSCRIPTION_CREATE, {"topic": topic, "uri": uri}, "webhookSubscriptionCreate"
        )
        return payload["webhookSubscription"]

    async def webhook_subscriptions(self) -> list[Node]:
        pages = iter_connection(self.graphql, documents.WEBHOOK_SUBSCRIPTIONS, {}, "webhookSubscriptions")
        return [node async for page in pages for node in page]


def _more_lines(node: Node) -> bool:
    return bool(((node.get("lineItems") or {}).get("pageInfo") or {}).get("hasNextPage"))
