"""The demo's traffic generator against a running sandbox world, checked through each emulator's API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from structlog.testing import capture_logs

from daemon.sandbox.credentials import SHOPIFY_SHOPS, WOO_SITES
from daemon.sandbox.traffic import STOCK_LOCATION, TrafficGenerator
from tests.sandbox import world_clients as clients
from tests.sandbox.world_clients import session, world  # noqa: F401 - pytest fixtures

ORDERS_QUERY = "{ orders(first: 250) { nodes { legacyResourceId name displayFinancialStatus cancelledAt } } }"


@pytest.fixture
def traffic(world, session) -> TrafficGenerator:
    return TrafficGenerator(world, session, seed=7)


async def shopify_orders(world, session) -> dict[tuple[str, int], dict]:
    """Every Shopify order of every shop by ``(shop id, order id)``, as the Admin API shows it."""
    orders = {}
    for shop in SHOPIFY_SHOPS:
        body = await clients.shopify(world, session, shop).graphql(ORDERS_QUERY)
        orders |= {(shop.id, int(o["legacyResourceId"])): o for o in body["data"]["orders"]["nodes"]}
    return orders


async def woo_orders(world, session) -> dict[tuple[str, int], dict]:
    orders = {}
    for site in WOO_SITES:
        answer = await clients.woocommerce(world, session, site).api("GET", "orders", params={"per_page": 100})
        orders |= {(site.id, o["id"]): o for o in answer.body}
    return orders


async def stock_at(world, session, sku: str) -> Decimal:
    answer = await clients.rackbeat(world, session).call("GET", f"/products/{sku}/locations")
    row = next(r for r in answer.body["product_locations"] if r["location_id"] == STOCK_LOCATION)
    return Decimal(str(row["stock_quantity"]))


async def test_placed_orders_appear_in_the_shops_apis(world, session, traffic):
    with capture_logs() as logs:
        placed = [await traffic.place_order() for _ in range(12)]
    assert all(placed)
    orders = {**await shopify_orders(world, session), **await woo_orders(world, session)}
    assert len(orders) == 12
    assert {order.shop_id for order in traffic.recent} == {*(s.id for s in SHOPIFY_SHOPS), *(s.id for s in WOO_SITES)}
    for order in traffic.recent:
        assert (order.shop_id, order.order_id) in orders
    assert [entry["event"] for entry in logs] == ["demo.order.placed"] * 12
    assert all({"shop", "order", "lines", "total", "paid"} <= set(entry) for entry in logs)


async def test_unpaid_orders_are_paid_later(world, session, traffic):
    while not traffic.unpaid:
        await traffic.place_order()
    order = traffic.unpaid[0]
    assert await traffic.pay_order()
    key = (order.shop_id, order.order_id)
    if order.storefront.kind == "shopify":
        assert (await shopify_orders(world, session))[key]["displayFinancialStatus"] == "PAID"
    else:
        assert (await woo_orders(world, session))[key]["status"] == "processing"
    assert order not in traffic.unpaid


async def test_a_cancel_reaches_the_shop(world, session, traffic):
    await traffic.place_order()
    order = traffic.recent[-1]
    assert await traffic.cancel_order()
    key = (order.shop_id, order.order_id)
    if order.storefront.kind == "shopify":
        assert (await shopify_orders(world, session))[key]["cancelledAt"] is not None
    else:
        assert (await woo_orders(world, session))[key]["status"] == "cancelled"


async def test_stock_changes_are_visible_in_rackbeats_api(world, session, traffic):
    before = {sku: await stock_at(world, session, sku) for sku in world.skus}
    with capture_logs() as logs:
        for _ in range(5):
            assert await traffic.change_stock()
    after = {sku: await stock_at(world, session, sku) for sku in world.skus}
    deltas: dict[str, int] = {}
    for entry in logs:
        assert entry["event"] == "demo.stock.changed"
        deltas[entry["sku"]] = deltas.get(entry["sku"], 0) + int(entry["delta"])
    assert deltas and {sku: after[sku] - before[sku] for sku in deltas} == deltas
    assert all(after[sku] == before[sku] for sku in world.skus if sku not in deltas)


async def test_ships_open_rackbeat_orders_fully_or_partly(world, session, traffic):
    """The oldest open order ships first; after a partial shipment the rest ships on a later turn."""
    rb = clients.rackbeat(world, session)
    lines = [{"item_id": world.skus[0], "quantity": 3}, {"item_id": world.skus[1], "quantity": 2}]
    for _ in range(3):
        assert (await rb.call("POST", "/orders", json={"customer_id": 1, "lines": lines})).status == 201
    seen = []  # (partly, the order right after that shipment)
    for _ in range(10):
        with capture_logs() as logs:
            if not await traffic.ship_order():
                break
        [entry] = logs
        assert entry["event"] == "demo.order.shipped"
        seen.append((entry["partly"], (await rb.call("GET", f"/orders/{entry['rackbeat_order']}")).body["order"]))
    assert {partly for partly, _ in seen} == {True, False}, "seed 7 ships both ways"
    for partly, order in seen:
        assert (order["is_shipped"], order["is_partly_shipped"]) == ((False, True) if partly else (True, False))
    assert all(o["is_shipped"] for o in (await rb.call("GET", "/orders")).body["orders"])


async def test_nothing_to_ship_or_pay_falls_back_to_an_order(world, session, traffic):
    assert not await traffic.ship_order() and not await traffic.pay_order() and not await traffic.cancel_order()
    with capture_logs() as logs:
        for _ in range(10):
            await traffic.step()
    assert logs and all(entry["event"].startswith("demo.") and entry["log_level"] == "info" for entry in logs)
    assert sum(entry["event"] == "demo.order.placed" for entry in logs) >= 1
