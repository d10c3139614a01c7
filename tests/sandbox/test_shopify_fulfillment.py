"""fulfillmentCreate from fulfillment orders: partial, then the rest, over-fulfilment refused."""

from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import running

FOS = """query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillmentOrders(first: 5) { nodes {
  id status assignedLocation { location { id } }
  lineItems(first: 10) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } } } } } }"""
CREATE = """mutation($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { id name status totalQuantity trackingInfo { company number url } }
  userErrors { field message } } }"""


def emulator() -> ShopifyEmulator:
    return ShopifyEmulator([ShopSpec("acme", "tok", "sec", seed=ShopifySeed(skus=["A", "B"], available=10))])


async def fulfillment_order(client, order_gid: str) -> dict:
    return (await client.graphql(FOS, {"id": order_gid}))["data"]["order"]


async def test_partial_then_rest():
    async with running(emulator()) as client:
        placed = await client.place_order(
            {"lines": [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 1}]}
        )
        order = await fulfillment_order(client, placed["admin_graphql_api_id"])
        [fo] = order["fulfillmentOrders"]["nodes"]
        assert fo["status"] == "OPEN" and order["displayFulfillmentStatus"] == "UNFULFILLED"
        line_a, line_b = fo["lineItems"]["nodes"]
        assert (line_a["lineItem"]["sku"], line_a["totalQuantity"], line_a["remainingQuantity"]) == (
            "A",
            3,
            3,
        )

        first = await client.graphql(
            CREATE,
            {
                "fulfillment": {
                    "lineItemsByFulfillmentOrder": [
                        {
                            "fulfillmentOrderId": fo["id"],
                            "fulfillmentOrderLineItems": [{"id": line_a["id"], "quantity": 2}],
                        }
                    ],
                    "trackingInfo": {"company": "GLS", "number": "123", "url": "https://gls.example/123"},
                    "notifyCustomer": False,
                }
            },
        )
        created = first["data"]["fulfillmentCreate"]
        assert created["userErrors"] == []
        assert created["fulfillment"]["status"] == "SUCCESS"
        assert created["fulfillment"]["name"] == f"{placed['name']}.1"
        assert created["fulfillment"]["totalQuantity"] == 2
        assert created["fulfillment"]["trackingInfo"] == [
            {"company": "GLS", "number": "123", "url": "https://gls.example/123"}
        ]
        after_first = await fulfillment_order(client, placed["admin_graphql_api_id"])
        fo_after = after_first["fulfillmentOrders"]["nodes"][0]
        assert fo_after["status"] == "IN_PROGRESS"
        assert [n["remainingQuantity"] for n in fo_after["lineItems"]["nodes"]] == [1, 1]
        assert after_first["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"

        rest = await client.graphql(
            CREATE, {"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]}}
        )
        assert rest["data"]["fulfillmentCreate"]["fulfillment"]["totalQuantity"] == 2
        done = await fulfillment_order(client, placed["admin_graphql_api_id"])
        state = await client.state()
    assert done["displayFulfillmentStatus"] == "FULFILLED"
    assert done["fulfillmentOrders"]["nodes"][0]["status"] == "CLOSED"
    assert state["orders"][0]["fulfillment_status"] == "fulfilled"
    assert [f["tracking_number"] for f in state["fulfillments"]] == ["123", None]
    # shipped stock leaves on_hand and committed; available never moved after the order
    level_a = next(lv for lv in state["inventory_levels"] if lv["sku"] == "A")
    assert (level_a["available"], level_a["on_hand"], level_a["committed"]) == (7, 7, 0)


async def test_over_fulfilment_and_closed_orders_are_user_errors():
    async with running(emulator()) as client:
        placed = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        [fo] = (await fulfillment_order(client, placed["admin_graphql_api_id"]))["fulfillmentOrders"]["nodes"]
        line = fo["lineItems"]["nodes"][0]
        too_many = await client.graphql(
            CREATE,
            {
                "fulfillment": {
                    "lineItemsByFulfillmentOrder": [
                        {
                            "fulfillmentOrderId": fo["id"],
                            "fulfillmentOrderLineItems": [{"id": line["id"], "quantity": 2}],
                        }
                    ]
                }
            },
        )
        result = too_many["data"]["fulfillmentCreate"]
        assert result["fulfillment"] is None
        assert result["userErrors"][0]["message"] == "Invalid fulfillment order line item quantity requested."
        await client.graphql(
            CREATE, {"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]}}
        )
        again = await client.graphql(
            CREATE, {"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]}}
        )
        assert (
            again["data"]["fulfillmentCreate"]["userErrors"][0]["message"]
            == "The fulfillment order is not in an open state."
        )
        unknown = await client.graphql(
            CREATE,
            {
                "fulfillment": {
                    "lineItemsByFulfillmentOrder": [
                        {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"}
                    ]
                }
            },
        )
        assert unknown["data"]["fulfillmentCreate"]["userErrors"][0]["field"] == [
            "fulfillment",
            "lineItemsByFulfillmentOrder",
            "0",
            "fulfillmentOrderId",
        ]
