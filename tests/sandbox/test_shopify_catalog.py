"""Products and variants: sku lookup (SKUs are not unique), productSet replacement, bulk update rules."""

import json

from daemon.sandbox.common import serve
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import WebhookReceiver, running

BY_SKU = """query($q: String!) { productVariants(first: 10, query: $q) {
  nodes { id sku title price product { id title } inventoryItem { id tracked duplicateSkuCount } } } }"""
PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id title variants(first: 10) { nodes { id sku price selectedOptions { name value } } } }
  userErrors { field message code } } }"""
BULK = """mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: $partial) {
    productVariants { sku price } userErrors { field message code } } }"""


def emulator(**seed) -> ShopifyEmulator:
    spec = ShopSpec("acme", "tok", "sec", seed=ShopifySeed(**seed))
    return ShopifyEmulator([spec])


async def by_sku(client, sku: str) -> list[dict]:
    return (await client.graphql(BY_SKU, {"q": f"sku:{sku}"}))["data"]["productVariants"]["nodes"]


def one_variant(sku: str, size: str, price: str) -> dict:
    return {"optionValues": [{"optionName": "Size", "name": size}], "sku": sku, "price": price}


async def test_seed_is_deterministic_and_variants_are_found_by_sku():
    async with running(emulator(skus=["RB-1", "RB-2", "RB-3"], variants_per_product=2)) as client:
        [variant] = await by_sku(client, "RB-3")
        assert variant["title"] == "S" and variant["price"] == "110.00"
        assert variant["product"]["title"] == "Product 2"
        assert await by_sku(client, "NOPE") == []
        generated = (await client.graphql("{ productVariants(first: 1) { nodes { sku } } }"))["data"][
            "productVariants"
        ]["nodes"]
        assert generated == [{"sku": "RB-1"}]


async def test_duplicate_skus_are_allowed_and_all_returned():
    async with running(emulator(skus=["A"])) as client:
        body = await client.graphql(
            PRODUCT_SET,
            {
                "input": {
                    "title": "Copy",
                    "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                    "variants": [one_variant("A", "S", "5.00")],
                }
            },
        )
        assert body["data"]["productSet"]["userErrors"] == []
        found = await by_sku(client, "A")
    assert len(found) == 2
    assert {v["inventoryItem"]["duplicateSkuCount"] for v in found} == {1}


async def test_product_set_creates_then_replaces_the_variant_list_and_fires_webhooks():
    receiver = WebhookReceiver()
    shopify = emulator(skus=["A"])
    async with serve(receiver.app) as hook_url, running(shopify) as client:
        for topic in ("PRODUCTS_CREATE", "PRODUCTS_UPDATE"):
            await client.graphql(
                "mutation($t: WebhookSubscriptionTopic!, $u: String!) { webhookSubscriptionCreate(topic: $t, webhookSubscription: {uri: $u}) { userErrors { message } } }",
                {"t": topic, "u": f"{hook_url}/{topic}"},
            )
        created = (
            await client.graphql(
                PRODUCT_SET,
                {
                    "input": {
                        "title": "Boots",
                        "productOptions": [{"name": "Size", "values": [{"name": "40"}, {"name": "41"}]}],
                        "variants": [
                            one_variant("B-40", "40", "500.00"),
                            one_variant("B-41", "41", "500.00"),
                        ],
                    }
                },
            )
        )["data"]["productSet"]
        product_id = created["product"]["id"]
        assert [v["selectedOptions"] for v in created["product"]["variants"]["nodes"]] == [
            [{"name": "Size", "value": "40"}],
            [{"name": "Size", "value": "41"}],
        ]
        # without a variant id, the option values identify the existing variant: B-41 keeps its id, B-40 goes
        kept_id = created["product"]["variants"]["nodes"][1]["id"]
        updated = (
            await client.graphql(
                PRODUCT_SET, {"input": {"id": product_id, "variants": [one_variant("B-41", "41", "450.00")]}}
            )
        )["data"]["productSet"]
        assert updated["product"]["variants"]["nodes"] == [
            {
                "id": kept_id,
                "sku": "B-41",
                "price": "450.00",
                "selectedOptions": [{"name": "Size", "value": "41"}],
            }
        ]
        await shopify.drain_webhooks()
    topics = {headers["X-Shopify-Topic"]: json.loads(body) for headers, body in receiver.requests}
    assert [v["sku"] for v in topics["products/create"]["variants"]] == ["B-40", "B-41"]
    assert [v["sku"] for v in topics["products/update"]["variants"]] == ["B-41"]
    assert topics["products/update"]["variants"][0]["price"] == "450.00"
    assert topics["products/update"]["variants"][0]["inventory_item_id"]


async def test_product_set_user_errors_change_nothing():
    async with running(emulator(skus=["A", "B"])) as client:
        [a] = await by_sku(client, "A")
        bad_second = {
            "input": {
                "id": a["product"]["id"],
                "variants": [one_variant("A", "S", "1.00"), one_variant("C", "L", "-1")],
            }
        }
        negative = (await client.graphql(PRODUCT_SET, bad_second))["data"]["productSet"]
        assert negative["userErrors"][0]["field"] == ["input", "variants", "1", "price"]
        assert [v["sku"] for v in await by_sku(client, "B")] == ["B"]  # not deleted by the failed replace
        assert (await by_sku(client, "A"))[0]["price"] == "100.00"
        blank = (await client.graphql(PRODUCT_SET, {"input": {"variants": []}}))["data"]["productSet"]
        missing = (
            await client.graphql(PRODUCT_SET, {"input": {"id": "gid://shopify/Product/1", "title": "x"}})
        )["data"]["productSet"]
    assert blank["product"] is None and blank["userErrors"][0]["code"] == "BLANK"
    assert missing["userErrors"] == [
        {"field": ["input", "id"], "message": "Product does not exist", "code": "PRODUCT_DOES_NOT_EXIST"}
    ]


async def test_bulk_update_is_all_or_nothing_unless_partial_updates_are_allowed():
    async with running(emulator(skus=["A", "B"], variants_per_product=2)) as client:
        [a] = await by_sku(client, "A")
        [b] = await by_sku(client, "B")
        product_id = a["product"]["id"]
        variants = [{"id": a["id"], "price": "1.00"}, {"id": b["id"], "price": "-1.00"}]
        blocked = (
            await client.graphql(BULK, {"productId": product_id, "variants": variants, "partial": False})
        )["data"]["productVariantsBulkUpdate"]
        assert blocked["productVariants"] is None
        assert blocked["userErrors"] == [
            {
                "field": ["variants", "1", "price"],
                "message": "Price must be greater than or equal to 0.",
                "code": "NEGATIVE_PRICE_VALUE",
            }
        ]
        assert (await by_sku(client, "A"))[0]["price"] == "100.00"
        partial = (
            await client.graphql(BULK, {"productId": product_id, "variants": variants, "partial": True})
        )["data"]["productVariantsBulkUpdate"]
        assert partial["productVariants"] == [{"sku": "A", "price": "1.00"}]
        assert partial["userErrors"][0]["code"] == "NEGATIVE_PRICE_VALUE"


async def test_nodes_resolves_mixed_ids():
    async with running(emulator(skus=["A"])) as client:
        [a] = await by_sku(client, "A")
        body = await client.graphql(
            """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on InventoryItem { sku
               inventoryLevels(first: 5) { nodes { quantities(names: ["available", "on_hand"]) { name quantity } } } } } }""",
            {"ids": [a["inventoryItem"]["id"], a["id"], "gid://shopify/Order/1"]},
        )
    item, variant, missing = body["data"]["nodes"]
    assert item["sku"] == "A"
    assert item["inventoryLevels"]["nodes"][0]["quantities"] == [
        {"name": "available", "quantity": 10},
        {"name": "on_hand", "quantity": 10},
    ]
    assert variant == {"__typename": "ProductVariant", "id": a["id"]}
    assert missing is None
