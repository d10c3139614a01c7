"""Shopify Admin GraphQL API: the client the order and stock flows use."""

from daemon.connectors.shopify.client import ShopifyClient, VariantRef
from daemon.connectors.shopify.graphql import ShopifyUserErrors
from daemon.connectors.shopify.inputs import Tracking

__all__ = ["ShopifyClient", "ShopifyUserErrors", "Tracking", "VariantRef"]
