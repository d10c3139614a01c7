"""inventorySetQuantities: compare-and-set, all-or-nothing, the 250 cap, @idempotent replay, per-version rules."""

import aiohttp
import pytest

from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import running

SET = """
mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "KEY") {
    inventoryAdjustmentGroup { reason referenceDocumentUri changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}"""
SET_WITHOUT_KEY = SET.replace(' @idempotent(key: "KEY")', "")
IDS = "{ productVariants(first: 10) { nodes { sku inventoryItem { id } } } locations(first: 1) { nodes { id } } }"


@pytest.fixture
def emulator():
    return ShopifyEmulator([ShopSpec("acme", "tok", "sec", seed=ShopifySeed(skus=["A", "B"], available=10))])


async def ids(client) -> tuple[dict[str, str], str]:
    data = (await client.graphql(IDS))["data"]
    items = {node["sku"]: node["inventoryItem"]["id"] for node in data["productVariants"]["nodes"]}
    return items, data["locations"]["nodes"][0]["id"]


def set_input(quantities: list[dict], **extra) -> dict:
    return {
        "input": {
            "name": "available",
            "reason": "correction",
            "referenceDocumentUri": "gid://rackbeat-sync/Job/1",
            "quantities": quantities,
            **extra,
        }
    }


async def available(client, sku: str) -> int:
    return next(
        level["available"] for level in (await client.state())["inventory_levels"] if level["sku"] == sku
    )


async def test_compare_quantity_sets_and_reports_changes(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        body = await client.graphql(
            SET.replace("KEY", "k1"),
            set_input(
                [
                    {
                        "inventoryItemId": items["A"],
                        "locationId": location,
                        "quantity": 4,
                        "compareQuantity": 10,
                    }
                ]
            ),
        )
        result = body["data"]["inventorySetQuantities"]
        assert result["userErrors"] == []
        group = result["inventoryAdjustmentGroup"]
        assert (
            group["reason"] == "correction" and group["referenceDocumentUri"] == "gid://rackbeat-sync/Job/1"
        )
        assert {"name": "available", "delta": -6, "quantityAfterChange": 4} in group["changes"]
        assert await available(client, "A") == 4


async def test_stale_compare_quantity_applies_nothing(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        quantities = [
            {"inventoryItemId": items["A"], "locationId": location, "quantity": 1, "compareQuantity": 10},
            {
                "inventoryItemId": items["B"],
                "locationId": location,
                "quantity": 2,
                "compareQuantity": 7,
            },  # really 10
        ]
        result = (await client.graphql(SET.replace("KEY", "k2"), set_input(quantities)))["data"][
            "inventorySetQuantities"
        ]
        assert result["inventoryAdjustmentGroup"] is None
        [error] = result["userErrors"]
        assert error["code"] == "COMPARE_QUANTITY_STALE"
        assert error["field"] == ["input", "quantities", "1", "compareQuantity"]
        assert await available(client, "A") == 10  # all-or-nothing


async def test_compare_quantity_is_required_unless_ignored(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        quantity = {"inventoryItemId": items["A"], "locationId": location, "quantity": 3}
        missing = (await client.graphql(SET.replace("KEY", "k3"), set_input([quantity])))["data"][
            "inventorySetQuantities"
        ]
        assert missing["userErrors"][0]["code"] == "COMPARE_QUANTITY_REQUIRED"
        ignored = await client.graphql(
            SET.replace("KEY", "k4"), set_input([quantity], ignoreCompareQuantity=True)
        )
        assert ignored["data"]["inventorySetQuantities"]["userErrors"] == []
        assert await available(client, "A") == 3


async def test_same_idempotency_key_replays_the_first_result_and_applies_once(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        variables = set_input(
            [{"inventoryItemId": items["A"], "locationId": location, "quantity": 25, "compareQuantity": 10}]
        )
        first = await client.graphql(SET.replace("KEY", "same"), variables)
        await client.control("POST", "inventory", {"sku": "A", "available": 8})  # drift after the first call
        replay = await client.graphql(SET.replace("KEY", "same"), variables)
        assert replay["data"] == first["data"]  # not COMPARE_QUANTITY_STALE: nothing is evaluated again
        assert await available(client, "A") == 8
        changed = await client.graphql(
            SET.replace("KEY", "same"), set_input([{**variables["input"]["quantities"][0], "quantity": 26}])
        )
        assert (
            changed["data"]["inventorySetQuantities"]["userErrors"][0]["code"]
            == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
        )
        fresh = await client.graphql(SET.replace("KEY", "new"), variables)
        assert fresh["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == "COMPARE_QUANTITY_STALE"


async def test_more_than_250_quantities_is_refused_before_execution(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        quantities = [
            {"inventoryItemId": items["A"], "locationId": location, "quantity": 1, "compareQuantity": 10}
        ] * 251
        status, body = await client.graphql_response(SET.replace("KEY", "big"), set_input(quantities))
        assert status == 200 and "data" not in body
        [error] = body["errors"]
        # [S] Shopify's generic input-array limit, a top-level error rather than a userError
        assert error["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"
        assert error["message"] == "The input array size of 251 is greater than the maximum allowed of 250."
        assert await available(client, "A") == 10


async def test_unknown_items_and_bad_reason_are_user_errors(emulator):
    async with running(emulator) as client:
        _, location = await ids(client)
        body = await client.graphql(
            SET.replace("KEY", "bad"),
            {
                "input": {
                    "name": "available",
                    "reason": "because",
                    "quantities": [
                        {
                            "inventoryItemId": "gid://shopify/InventoryItem/1",
                            "locationId": location,
                            "quantity": 1,
                            "compareQuantity": 0,
                        }
                    ],
                }
            },
        )
        codes = {e["code"] for e in body["data"]["inventorySetQuantities"]["userErrors"]}
        assert codes == {"INVALID_REASON", "INVALID_INVENTORY_ITEM"}


async def test_version_2025_10_has_no_idempotent_directive(emulator):
    # [C] @idempotent arrived in 2026-01: older versions fail validation on the unknown directive
    async with running(emulator, version="2025-10") as client:
        items, location = await ids(client)
        variables = set_input(
            [{"inventoryItemId": items["A"], "locationId": location, "quantity": 5, "compareQuantity": 10}]
        )
        status, body = await client.graphql_response(SET.replace("KEY", "x"), variables)
        assert status == 200 and body["errors"][0]["message"] == "Unknown directive '@idempotent'."
        plain = await client.graphql(SET_WITHOUT_KEY, variables)
        assert plain["data"]["inventorySetQuantities"]["userErrors"] == []


async def test_version_2026_04_needs_a_key_and_change_from_quantity(emulator):
    async with running(emulator, version="2026-04") as client:
        items, location = await ids(client)
        quantity = {"inventoryItemId": items["A"], "locationId": location, "quantity": 5}
        # [I] assumed: inventorySetQuantities is among the mutations that need a key from 2026-04
        _, without_key = await client.graphql_response(
            SET_WITHOUT_KEY, set_input([{**quantity, "changeFromQuantity": 10}])
        )
        assert "@idempotent directive is required" in without_key["errors"][0]["message"]
        missing = await client.graphql(
            SET.replace("KEY", "a"), set_input([{**quantity, "compareQuantity": 10}])
        )
        assert missing["data"]["inventorySetQuantities"]["userErrors"][0]["field"][-1] == "changeFromQuantity"
        stale = await client.graphql(
            SET.replace("KEY", "b"), set_input([{**quantity, "changeFromQuantity": 9}])
        )
        assert (
            stale["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == "CHANGE_FROM_QUANTITY_STALE"
        )
        unchecked = await client.graphql(
            SET.replace("KEY", "c"), set_input([{**quantity, "changeFromQuantity": None}])
        )
        assert unchecked["data"]["inventorySetQuantities"]["userErrors"] == []
        assert await available(client, "A") == 5


async def test_committed_stock_stays_committed_when_available_is_set(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        await client.place_order({"lines": [{"sku": "A", "quantity": 3}]})  # available 7, committed 3
        await client.graphql(
            SET.replace("KEY", "c1"),
            set_input(
                [
                    {
                        "inventoryItemId": items["A"],
                        "locationId": location,
                        "quantity": 20,
                        "compareQuantity": 7,
                    }
                ]
            ),
        )
        level = next(lv for lv in (await client.state())["inventory_levels"] if lv["sku"] == "A")
        assert (level["available"], level["committed"], level["on_hand"]) == (20, 3, 23)


async def test_lost_response_then_retry_with_the_same_key_applies_once(emulator):
    async with running(emulator) as client:
        items, location = await ids(client)
        variables = set_input(
            [{"inventoryItemId": items["A"], "locationId": location, "quantity": 3, "compareQuantity": 10}]
        )
        await client.set_faults(commit_drop_rate=1.0)
        with pytest.raises(aiohttp.ClientError):
            await client.graphql_response(SET.replace("KEY", "lost"), variables)
        assert await available(client, "A") == 3  # committed although the answer never arrived
        await client.set_faults(commit_drop_rate=0.0)
        retry = await client.graphql(SET.replace("KEY", "lost"), variables)
        # without the key this retry would fail COMPARE_QUANTITY_STALE (10 != 3); with it, the original result
        assert retry["data"]["inventorySetQuantities"]["userErrors"] == []
        assert await available(client, "A") == 3
