"""The GraphQL documents the daemon sends to Shopify's Admin API.

Written for API version ``API_VERSION`` (2026-01): the first version with ``@idempotent`` while still taking
``compareQuantity``. tests/sandbox/test_shopify_documents.py validates every document against the emulator
schema (which uses Shopify's own names) and runs it over HTTP.

Query cost (Shopify: objects 1, connections 2 + first x node cost, hard cap 1000 per query) decides the page
sizes: one order with ``$lineItems`` lines costs about 70 + 12 x lineItems, so the defaults (3 orders x 20
lines) request ~932 points. Lower ``first`` when raising ``lineItems``; orders with more lines than requested
show ``lineItems.pageInfo.hasNextPage`` and must be re-read with ORDER_BY_ID and a larger ``$lineItems``.
"""

API_VERSION = "2026-01"

_MONEY = "shopMoney { amount currencyCode }"
_TAX_LINES = f"taxLines {{ title rate ratePercentage priceSet {{ {_MONEY} }} }}"
_ADDRESS = (
    "firstName lastName name company phone "
    "address1 address2 city zip province provinceCode country countryCodeV2"
)

ORDER_FIELDS = f"""
fragment OrderFields on Order {{
  id legacyResourceId name email phone note tags
  createdAt updatedAt processedAt cancelledAt cancelReason closed
  displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode taxesIncluded
  totalPriceSet {{ {_MONEY} }}
  subtotalPriceSet {{ {_MONEY} }}
  totalTaxSet {{ {_MONEY} }}
  totalDiscountsSet {{ {_MONEY} }}
  totalShippingPriceSet {{ {_MONEY} }}
  discountCodes
  discountApplications(first: 5) {{
    nodes {{
      index allocationMethod targetSelection targetType
      ... on DiscountCodeApplication {{ code }}
      value {{ ... on PricingPercentageValue {{ percentage }} ... on MoneyV2 {{ amount currencyCode }} }}
    }}
  }}
  customer {{ id email firstName lastName phone }}
  billingAddress {{ {_ADDRESS} }}
  shippingAddress {{ {_ADDRESS} }}
  lineItems(first: $lineItems) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      id sku name title variantTitle quantity currentQuantity
      originalUnitPriceSet {{ {_MONEY} }}
      totalDiscountSet {{ {_MONEY} }}
      discountAllocations {{ allocatedAmountSet {{ {_MONEY} }} }}
      {_TAX_LINES}
      variant {{ id }}
    }}
  }}
  shippingLines(first: 5) {{
    nodes {{
      title code
      originalPriceSet {{ {_MONEY} }}
      discountedPriceSet {{ {_MONEY} }}
      {_TAX_LINES}
    }}
  }}
}}
"""

ORDERS_UPDATED_SINCE = """
query OrdersUpdatedSince($first: Int! = 3, $after: String, $query: String!, $lineItems: Int! = 20) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}
""" + ORDER_FIELDS
"""``$query`` e.g. ``updated_at:>='2026-01-01T00:00:00Z'`` (timestamps have whole seconds: use >= and dedupe)."""

ORDER_BY_ID = """
query OrderById($id: ID!, $lineItems: Int! = 50) {
  order(id: $id) { ...OrderFields }
}
""" + ORDER_FIELDS

_VARIANT_FIELDS = "id sku title price barcode product { id title } inventoryItem { id tracked }"

VARIANTS_BY_SKU = f"""
query VariantsBySku($query: String!) {{
  productVariants(first: 10, query: $query) {{
    nodes {{ {_VARIANT_FIELDS} }}
  }}
}}
"""
"""``$query`` is ``sku:'<sku>'``; SKUs are not unique in Shopify, so several variants may come back."""

VARIANTS_PAGE = """
query VariantsPage($first: Int! = 250, $after: String) {
  productVariants(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku product { id } inventoryItem { id } }
  }
}
"""

LOCATIONS = """
query Locations {
  locations(first: 50) {
    nodes { id legacyResourceId name isActive }
  }
}
"""

INVENTORY_SET_QUANTITIES = """
mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}
"""
"""Send ``compareQuantity`` per quantity (COMPARE_QUANTITY_STALE when the shop moved) and a fresh UUID key
per logical change; a retry of the same change reuses its key and gets the original result."""

PRODUCT_SET = """
mutation ProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product {
      id title handle
      variants(first: 250) { nodes { id sku inventoryItem { id } } }
    }
    userErrors { field message code }
  }
}
"""
"""List fields are replaced: variants left out of ``$input.variants`` are deleted."""

VARIANTS_BULK_UPDATE = """
mutation VariantsBulkUpdate(
  $productId: ID!, $variants: [ProductVariantsBulkInput!]!, $allowPartialUpdates: Boolean = false
) {
  productVariantsBulkUpdate(
    productId: $productId, variants: $variants, allowPartialUpdates: $allowPartialUpdates
  ) {
    productVariants { id sku price barcode }
    userErrors { field message code }
  }
}
"""

FULFILLMENT_ORDERS_OF_ORDER = """
query FulfillmentOrdersOfOrder($id: ID!, $fulfillmentOrders: Int! = 5, $lineItems: Int! = 50) {
  order(id: $id) {
    id
    displayFulfillmentStatus
    fulfillmentOrders(first: $fulfillmentOrders) {
      nodes {
        id status
        assignedLocation { location { id } }
        lineItems(first: $lineItems) {
          nodes { id remainingQuantity totalQuantity lineItem { id sku } }
        }
      }
    }
  }
}
"""

FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id name status trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTION_CREATE = """
mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTIONS = """
query WebhookSubscriptions($first: Int! = 100, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic uri format }
  }
}
"""

ALL = {
    "ORDERS_UPDATED_SINCE": ORDERS_UPDATED_SINCE,
    "ORDER_BY_ID": ORDER_BY_ID,
    "VARIANTS_BY_SKU": VARIANTS_BY_SKU,
    "VARIANTS_PAGE": VARIANTS_PAGE,
    "LOCATIONS": LOCATIONS,
    "INVENTORY_SET_QUANTITIES": INVENTORY_SET_QUANTITIES,
    "PRODUCT_SET": PRODUCT_SET,
    "VARIANTS_BULK_UPDATE": VARIANTS_BULK_UPDATE,
    "FULFILLMENT_ORDERS_OF_ORDER": FULFILLMENT_ORDERS_OF_ORDER,
    "FULFILLMENT_CREATE": FULFILLMENT_CREATE,
    "WEBHOOK_SUBSCRIPTION_CREATE": WEBHOOK_SUBSCRIPTION_CREATE,
    "WEBHOOK_SUBSCRIPTIONS": WEBHOOK_SUBSCRIPTIONS,
}
