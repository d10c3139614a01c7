"""Orders over GraphQL: updated_at filters, cursor pagination, and the merchant lifecycle via the control API."""

from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import running

ORDERS_PAGE = """
query($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    edges { cursor node { id name updatedAt displayFinancialStatus cancelledAt } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


def emulator() -> ShopifyEmulator:
    return ShopifyEmulator([ShopSpec("acme", "tok", "sec", seed=ShopifySeed(skus=["A", "B"]))])


async def page_through(client, query: str | None, first: int) -> list[dict]:
    nodes, after = [], None
    while True:
        body = await client.graphql(ORDERS_PAGE, {"first": first, "after": after, "query": query})
        connection = body["data"]["orders"]
        nodes += [edge["node"] for edge in connection["edges"]]
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_cursor_pagination_returns_every_order_once_in_updated_order():
    async with running(emulator()) as client:
        placed = [await client.place_order({"lines": [{"sku": "A", "quantity": 1}]}) for _ in range(7)]
        nodes = await page_through(client, "updated_at:>='2000-01-01T00:00:00Z'", first=3)
    assert sorted(n["name"] for n in nodes) == sorted(o["name"] for o in placed)
    keys = [(n["updatedAt"], int(n["id"].rsplit("/", 1)[1])) for n in nodes]
    assert keys == sorted(keys)


async def test_updated_at_filter_is_strict_for_greater_than_and_inclusive_for_greater_or_equal():
    async with running(emulator()) as client:
        order = await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        stamp = (await client.graphql("{ orders(first: 1) { nodes { updatedAt } } }"))["data"]["orders"][
            "nodes"
        ][0]["updatedAt"]
        assert stamp.endswith("Z") and len(stamp) == 20  # second precision, UTC
        assert await page_through(client, f"updated_at:>'{stamp}'", 10) == []
        [found] = await page_through(client, f"updated_at:>='{stamp}'", 10)
        assert found["name"] == order["name"]
        assert await page_through(client, "created_at:<'2000-01-01T00:00:00Z'", 10) == []


async def test_status_filter_and_lifecycle_changes_show_up():
    async with running(emulator()) as client:
        pending = await client.place_order(
            {"lines": [{"sku": "A", "quantity": 1}], "financial_status": "pending"}
        )
        other = await client.place_order({"lines": [{"sku": "B", "quantity": 2}]})
        paid = await client.control("POST", f"orders/{pending['id']}/pay")
        assert paid["order"]["financial_status"] == "paid"
        assert paid["order"]["updated_at"] >= pending["updated_at"]
        cancelled = (await client.control("POST", f"orders/{other['id']}/cancel", {"reason": "customer"}))[
            "order"
        ]
        assert cancelled["cancelled_at"] and cancelled["cancel_reason"] == "customer"
        edited = (await client.control("POST", f"orders/{pending['id']}/edit", {"email": "new@example.com"}))[
            "order"
        ]
        assert edited["email"] == "new@example.com"
        open_orders = await page_through(client, "status:open", 10)
        cancelled_orders = await page_through(client, "status:cancelled", 10)
        everything = await page_through(client, "status:any", 10)
        not_cancelled = await page_through(client, "-status:cancelled", 10)
        state = await client.state()
    assert [o["name"] for o in open_orders] == [pending["name"]]
    assert open_orders[0]["displayFinancialStatus"] == "PAID"
    assert [o["name"] for o in cancelled_orders] == [other["name"]]
    assert cancelled_orders[0]["cancelledAt"] is not None
    assert len(everything) == 2
    assert [o["name"] for o in not_cancelled] == [pending["name"]]
    # the cancelled order released its committed stock: B is back to 10 available
    levels = {level["sku"]: level for level in state["inventory_levels"]}
    assert levels["B"]["available"] == 10 and levels["B"]["committed"] == 0
    assert levels["A"]["available"] == 9 and levels["A"]["committed"] == 1


async def test_order_by_id_carries_customer_and_addresses():
    async with running(emulator()) as client:
        placed = await client.place_order(
            {
                "lines": [{"sku": "A", "quantity": 1}],
                "customer": {
                    "email": "ann@example.com",
                    "first_name": "Ann",
                    "last_name": "Berg",
                    "phone": "+4512345678",
                },
                "shipping_address": {
                    "first_name": "Ann",
                    "last_name": "Berg",
                    "address1": "Vej 1",
                    "city": "Aarhus",
                    "zip": "8000",
                    "country": "Denmark",
                    "country_code": "DK",
                },
            }
        )
        body = await client.graphql(
            "query($id: ID!) { order(id: $id) { legacyResourceId email customer { email firstName lastName } "
            "shippingAddress { name address1 zip countryCodeV2 } billingAddress { city } } }",
            {"id": placed["admin_graphql_api_id"]},
        )
        missing = await client.graphql('{ order(id: "gid://shopify/Order/1") { id } }')
    order = body["data"]["order"]
    assert order["legacyResourceId"] == str(placed["id"])
    assert order["email"] == "ann@example.com"
    assert order["customer"] == {"email": "ann@example.com", "firstName": "Ann", "lastName": "Berg"}
    assert order["shippingAddress"] == {
        "name": "Ann Berg",
        "address1": "Vej 1",
        "zip": "8000",
        "countryCodeV2": "DK",
    }
    assert order["billingAddress"] == {"city": "Aarhus"}  # defaults to the shipping address
    assert missing["data"]["order"] is None


async def test_bad_order_requests_are_refused():
    async with running(emulator()) as client:
        async with client.session.post(
            f"{client.base_url}/_sandbox/acme/orders", json={"lines": [{"sku": "NOPE"}]}
        ) as response:
            assert response.status == 422
            assert "NOPE" in (await response.json())["errors"]


async def test_cancel_without_restock_writes_the_goods_off():
    async with running(emulator()) as client:
        placed = await client.place_order({"lines": [{"sku": "A", "quantity": 4}]})
        await client.control("POST", f"orders/{placed['id']}/cancel", {"reason": "fraud", "restock": False})
        level = next(lv for lv in (await client.state())["inventory_levels"] if lv["sku"] == "A")
        async with client.session.post(
            f"{client.base_url}/_sandbox/acme/orders/{placed['id']}/cancel"
        ) as again:
            assert again.status == 422
    assert (level["available"], level["committed"], level["on_hand"]) == (6, 0, 6)


async def test_reverse_order_and_backward_paging():
    query = """query($last: Int, $before: String, $first: Int, $reverse: Boolean) {
      orders(first: $first, last: $last, before: $before, reverse: $reverse, sortKey: ID) {
        nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor } } }"""
    async with running(emulator()) as client:
        for _ in range(5):
            await client.place_order({"lines": [{"sku": "A", "quantity": 1}]})
        newest_first = (await client.graphql(query, {"first": 5, "reverse": True}))["data"]["orders"]
        assert [n["name"] for n in newest_first["nodes"]] == ["#1005", "#1004", "#1003", "#1002", "#1001"]
        tail = (await client.graphql(query, {"last": 2}))["data"]["orders"]
        assert [n["name"] for n in tail["nodes"]] == ["#1004", "#1005"]
        assert tail["pageInfo"]["hasPreviousPage"] is True and tail["pageInfo"]["hasNextPage"] is False
        before = (await client.graphql(query, {"last": 2, "before": tail["pageInfo"]["startCursor"]}))["data"]
        assert [n["name"] for n in before["orders"]["nodes"]] == ["#1002", "#1003"]
        status, body = await client.graphql_response('{ orders(first: 1, after: "bogus") { nodes { id } } }')
        assert status == 200 and "Invalid cursor" in body["errors"][0]["message"]
