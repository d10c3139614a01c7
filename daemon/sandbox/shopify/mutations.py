"""The Mutation root: each mutation turns its input into a state change and business failures into
``userErrors`` (HTTP 200), never into top-level errors."""

from __future__ import annotations

from typing import Any

from .catalog import CatalogError, product_set, variants_bulk_update
from .catalog_views import AdjustmentGroupView, ProductView, VariantView, WebhookSubscriptionView
from .fulfillments import FulfillmentError, create_fulfillment
from .ids import gid, parse_gid
from .inventory import SetRequest, set_quantities
from .order_views import FulfillmentView
from .store import ShopState, WebhookSubscription
from .topics import rest_topic
from .versions import uses_change_from_quantity


class MutationRoot:
    def __init__(self, state: ShopState, api_version: str) -> None:
        self.state = state
        self.api_version = api_version

    def product_set(self, input: dict[str, Any], synchronous: bool = True, identifier: dict | None = None):
        try:
            product = ProductView(self.state, product_set(self.state, input, identifier))
        except CatalogError as exc:
            return {"product": None, "productSetOperation": None, "userErrors": [exc.error]}
        if synchronous:
            return {"product": product, "productSetOperation": None, "userErrors": []}
        operation = {
            "__typename": "ProductSetOperation",
            "id": gid("ProductSetOperation", self.state.next_id()),
            "status": "COMPLETE",  # [I] applied at once; a real async run is CREATED/ACTIVE first
            "product": product,
            "userErrors": [],
        }
        return {"product": None, "productSetOperation": operation, "userErrors": []}

    def product_variants_bulk_update(
        self, product_id: str, variants: list[dict], allow_partial_updates: bool = False
    ):
        product, updated, errors = variants_bulk_update(
            self.state, product_id, variants, allow_partial_updates
        )
        return {
            "product": ProductView(self.state, product) if product else None,
            "productVariants": [VariantView(self.state, v) for v in updated] if updated is not None else None,
            "userErrors": errors,
        }

    def inventory_set_quantities(self, input: dict[str, Any]):
        request = SetRequest(
            name=input["name"],
            reason=input["reason"],
            reference_document_uri=input.get("referenceDocumentUri"),
            ignore_compare_quantity=bool(input.get("ignoreCompareQuantity")),
            quantities=input["quantities"],
            change_from_mode=uses_change_from_quantity(self.api_version),
        )
        group, errors = set_quantities(self.state, request)
        return {
            "inventoryAdjustmentGroup": AdjustmentGroupView(self.state, group) if group else None,
            "userErrors": errors,
        }

    def fulfillment_create(self, fulfillment: dict[str, Any], message: str | None = None):
        try:
            created = create_fulfillment(self.state, fulfillment)
        except FulfillmentError as exc:
            return {"fulfillment": None, "userErrors": [{"field": exc.field, "message": exc.message}]}
        return {"fulfillment": FulfillmentView(self.state, created.id), "userErrors": []}

    def webhook_subscription_create(self, topic: str, webhook_subscription: dict[str, Any]):
        uri = webhook_subscription.get("uri") or webhook_subscription.get("callbackUrl")
        if not uri:
            return {
                "webhookSubscription": None,
                "userErrors": [
                    {"field": ["webhookSubscription", "uri"], "message": "Address can't be blank"}
                ],
            }
        wanted = rest_topic(topic)
        if any(s.topic == wanted and s.uri == uri for s in self.state.webhook_subscriptions.values()):
            return {
                "webhookSubscription": None,
                "userErrors": [
                    {
                        "field": ["webhookSubscription", "callbackUrl"],
                        "message": "Address for this topic has already been taken",
                    }
                ],
            }
        subscription = WebhookSubscription(
            id=self.state.next_id(),
            topic=wanted,
            uri=uri,
            format=webhook_subscription.get("format") or "JSON",
            include_fields=list(webhook_subscription.get("includeFields") or []),
        )
        self.state.webhook_subscriptions[subscription.id] = subscription
        return {
            "webhookSubscription": WebhookSubscriptionView(subscription, self.state.spec.api_version),
            "userErrors": [],
        }

    def webhook_subscription_delete(self, id: str):
        subscription_id = parse_gid(id, "WebhookSubscription")
        if self.state.webhook_subscriptions.pop(subscription_id, None) is None:
            return {
                "deletedWebhookSubscriptionId": None,
                "userErrors": [{"field": ["id"], "message": "Webhook subscription does not exist"}],
            }
        return {"deletedWebhookSubscriptionId": id, "userErrors": []}
