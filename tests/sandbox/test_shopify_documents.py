"""Every document the daemon sends validates against the emulator schema and runs over HTTP."""

import pytest
from graphql import parse, validate

from daemon.connectors.shopify import documents
from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.cost import CostCalculator, Operation, find_operation
from daemon.sandbox.shopify.schema import schema_for
from daemon.sandbox.shopify.testing import running
from graphql.execution.values import get_variable_values

SCHEMA = schema_for(documents.API_VERSION)


QUERY_ARGUMENTS = {
    "query": "status:any",
    "id": "gid://shopify/Order/1",
}  # the required variables of the queries


def requested_cost(text: str) -> int:
    document = parse(text)
    definition = find_operation(document, None)
    names = {d.variable.name.value for d in definition.variable_definitions or ()}
    arguments = {key: value for key, value in QUERY_ARGUMENTS.items() if key in names}
    variables = get_variable_values(SCHEMA, definition.variable_definitions or (), arguments)
    return CostCalculator(Operation(SCHEMA, document, definition, variables)).cost()


@pytest.mark.parametrize("name", sorted(documents.ALL))
def test_document_validates_and_fits_the_cost_limit(name):
    text = documents.ALL[name]
    assert validate(SCHEMA, parse(text)) == []
    cost = requested_cost(text)
    assert cost == 10 if text.lstrip().startswith("mutation") else 0 < cost <= 1000


def test_orders_page_defaults_use_most_of_the_budget():
    assert 900 <= requested_cost(documents.ORDERS_UPDATED_SINCE) <= 1000


@pytest.fixture
async def client():
    seed = ShopifySeed(skus=["RB-100", "RB-101", "RB-200"], locations=("Main", "Outlet"))
    async with running(
        ShopifyEmulator([ShopSpec("acme", "tok", "sec", seed=seed)]), version=documents.API_VERSION
    ) as client:
        yield client


async def catalog(client) -> dict[str, dict]:
    page = (await client.graphql(documents.VARIANTS_PAGE))["data"]["productVariants"]
    assert page["pageInfo"]["hasNextPage"] is False
    return {node["sku"]: node for node in page["nodes"]}


async def test_catalog_documents(client):
    variants = await catalog(client)
    assert set(variants) == {"RB-100", "RB-101", "RB-200"}
    assert variants["RB-100"]["inventoryItem"]["id"].startswith("gid://shopify/InventoryItem/")
    [found] = (await client.graphql(documents.VARIANTS_BY_SKU, {"query": "sku:'RB-101'"}))["data"][
        "productVariants"
    ]["nodes"]
    assert (
        found["id"] == variants["RB-101"]["id"]
        and found["price"] == "101.00"
        and found["inventoryItem"]["tracked"] is True
    )
    locations = (await client.graphql(documents.LOCATIONS))["data"]["locations"]["nodes"]
    assert [loc["name"] for loc in locations] == ["Main", "Outlet"]

    created = (
        await client.graphql(
            documents.PRODUCT_SET,
            {
                "input": {
                    "title": "Rackbeat item",
                    "productOptions": [{"name": "Color", "values": [{"name": "Red"}, {"name": "Blue"}]}],
                    "variants": [
                        {
                            "optionValues": [{"optionName": "Color", "name": "Red"}],
                            "sku": "RB-300",
                            "price": "49.50",
                        },
                        {
                            "optionValues": [{"optionName": "Color", "name": "Blue"}],
                            "inventoryItem": {"sku": "RB-301", "tracked": True},
                            "price": "59.50",
                        },
                    ],
                }
            },
        )
    )["data"]["productSet"]
    assert created["userErrors"] == []
    product = created["product"]
    assert [v["sku"] for v in product["variants"]["nodes"]] == ["RB-300", "RB-301"]

    red = product["variants"]["nodes"][0]
    updated = await client.graphql(
        documents.VARIANTS_BULK_UPDATE,
        {
            "productId": product["id"],
            "variants": [{"id": red["id"], "price": "45.00", "barcode": "5701234567890"}],
        },
    )
    result = updated["data"]["productVariantsBulkUpdate"]
    assert result["userErrors"] == [] and result["productVariants"] == [
        {"id": red["id"], "sku": "RB-300", "price": "45.00", "barcode": "5701234567890"}
    ]

    replaced = await client.graphql(
        documents.PRODUCT_SET,
        {
            "identifier": {"id": product["id"]},
            "input": {
                "variants": [{"id": red["id"], "optionValues": [{"optionName": "Color", "name": "Red"}]}]
            },
        },
    )
    assert [v["sku"] for v in replaced["data"]["productSet"]["product"]["variants"]["nodes"]] == [
        "RB-300"
    ]  # Blue deleted
    assert "RB-301" not in await catalog(client)


async def test_inventory_document(client):
    variants = await catalog(client)
    location = (await client.graphql(documents.LOCATIONS))["data"]["locations"]["nodes"][1]["id"]
    variables = {
        "idempotencyKey": "3f0c6a8e-0000-4000-8000-000000000001",
        "input": {
            "name": "available",
            "reason": "correction",
            "referenceDocumentUri": "gid://rackbeat-sync/StockSync/1",
            "quantities": [
                {
                    "inventoryItemId": variants["RB-200"]["inventoryItem"]["id"],
                    "locationId": location,
                    "quantity": 17,
                    "compareQuantity": 10,
                }
            ],
        },
    }
    result = (await client.graphql(documents.INVENTORY_SET_QUANTITIES, variables))["data"][
        "inventorySetQuantities"
    ]
    assert result["userErrors"] == []
    assert result["inventoryAdjustmentGroup"]["id"].startswith("gid://shopify/InventoryAdjustmentGroup/")
    # the level is 17 now: a change that expects 17 goes through, one that still expects 10 is refused
    quantity = variables["input"]["quantities"][0]
    for compare, errors in ((10, ["COMPARE_QUANTITY_STALE"]), (17, [])):
        again = {**variables, "idempotencyKey": f"3f0c6a8e-0000-4000-8000-00000000001{compare}"}
        again["input"] = {**variables["input"], "quantities": [{**quantity, "quantity": 20, "compareQuantity": compare}]}
        answer = (await client.graphql(documents.INVENTORY_SET_QUANTITIES, again))["data"]["inventorySetQuantities"]
        assert [e["code"] for e in answer["userErrors"]] == errors


async def test_order_documents(client):
    placed = await client.place_order(
        {
            "lines": [{"sku": "RB-100", "quantity": 2}, {"sku": "RB-200", "quantity": 1}],
            "tax_lines": [{"title": "DK Moms", "rate": "0.25"}],
            "discount": {"code": "WELCOME", "type": "fixed_amount", "value": "20.00"},
            "shipping": {"title": "GLS Pakkeshop", "price": "39.00"},
            "customer": {"email": "kim@example.com", "first_name": "Kim", "last_name": "Lund"},
            "shipping_address": {
                "first_name": "Kim",
                "last_name": "Lund",
                "address1": "Gade 2",
                "city": "Odense",
                "zip": "5000",
                "country": "Denmark",
                "country_code": "DK",
            },
        }
    )
    page = (
        await client.graphql(documents.ORDERS_UPDATED_SINCE, {"query": "updated_at:>='2000-01-01T00:00:00Z'"})
    )["data"]["orders"]
    [order] = page["nodes"]
    assert page["pageInfo"]["hasNextPage"] is False
    assert (
        order["name"] == placed["name"] and order["totalPriceSet"]["shopMoney"]["amount"] == "411.26"
    )  # 290.00 + 39.00 + 82.26 tax
    assert order["discountCodes"] == ["WELCOME"]
    assert order["discountApplications"]["nodes"][0]["value"] == {"amount": "20.0", "currencyCode": "DKK"}
    assert (
        order["customer"]["email"] == "kim@example.com" and order["shippingAddress"]["countryCodeV2"] == "DK"
    )
    assert [line["sku"] for line in order["lineItems"]["nodes"]] == ["RB-100", "RB-200"]
    assert order["shippingLines"]["nodes"][0]["taxLines"][0]["priceSet"]["shopMoney"]["amount"] == "9.75"
    by_id = (await client.graphql(documents.ORDER_BY_ID, {"id": order["id"]}))["data"]["order"]
    assert by_id == order

    fos = (await client.graphql(documents.FULFILLMENT_ORDERS_OF_ORDER, {"id": order["id"]}))["data"]["order"]
    [fo] = fos["fulfillmentOrders"]["nodes"]
    lines = [{"id": line["id"], "quantity": line["remainingQuantity"]} for line in fo["lineItems"]["nodes"]]
    fulfillment = {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": lines}],
        "trackingInfo": {
            "company": "GLS",
            "number": "00370712345",
            "url": "https://gls.dk/track/00370712345",
        },
        "notifyCustomer": True,
    }
    created = (await client.graphql(documents.FULFILLMENT_CREATE, {"fulfillment": fulfillment}))["data"][
        "fulfillmentCreate"
    ]
    assert created["userErrors"] == []
    assert created["fulfillment"]["trackingInfo"] == [
        {"company": "GLS", "number": "00370712345", "url": "https://gls.dk/track/00370712345"}
    ]


async def test_webhook_documents(client):
    created = await client.graphql(
        documents.WEBHOOK_SUBSCRIPTION_CREATE,
        {"topic": "ORDERS_UPDATED", "uri": "https://sync.example/hooks/shopify"},
    )
    subscription = created["data"]["webhookSubscriptionCreate"]["webhookSubscription"]
    assert subscription["topic"] == "ORDERS_UPDATED"
    listed = (await client.graphql(documents.WEBHOOK_SUBSCRIPTIONS))["data"]["webhookSubscriptions"]["nodes"]
    assert listed == [{**subscription, "format": "JSON"}]
