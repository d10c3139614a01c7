"""GraphQL documents the product flow needs beyond the shared ones in ``connectors.shopify.documents``.

Costs: CATALOG_PAGE requests about 2 + 100 x 4 points; VARIANTS_OF_SKU about 2 + 10 x 3.
"""

CATALOG_PAGE = """
query CatalogPage($first: Int! = 100, $after: String) {
  productVariants(first: $first, after: $after, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id sku title price barcode inventoryQuantity
      inventoryItem { tracked }
      product { id title descriptionHtml productType status variantsCount { count } }
    }
  }
}
"""
"""Everything the initial sync reads of a variant; ``$after`` resumes an interrupted run."""

VARIANTS_OF_SKU = """
query VariantsOfSku($query: String!) {
  productVariants(first: 10, query: $query) {
    nodes { id sku product { id variantsCount { count } } }
  }
}
"""
"""``$query`` is ``sku:'<sku>'``; SKUs are not unique in Shopify, so several variants may answer."""
