"""The oversell race: orders arriving in one shop while stock is being pushed to both.

Every API answer of every emulator records what both shops show for P0001 next to what could be
delivered at that instant (Rackbeat's stock on hand minus every unit sold in a shop; nothing ships
here). Orders reach the daemon as the order flow's intake would see them; the intake hook the lead adds
(``StockMarks.orders_seen``, in accept's transaction) is called right after it by ``accept`` below.
"""

from __future__ import annotations

from dataclasses import dataclass

from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.handlers import MAPPERS, SHOPIFY_REST, WOOCOMMERCE
from daemon.sync.order_flow.intake import TRANSFER_KIND, OrderIntake, Sighting
from daemon.sync.order_flow.links import OrderLinks
from daemon.sync.order_flow.transfer import OrderTransfer
from daemon.sandbox.rackbeat import RackbeatSeed
from daemon.sandbox.shopify import ShopifySeed
from daemon.sandbox.woocommerce import WooSeed
from daemon.sync.stock.parts import stock_marks
from tests.integration.test_stock_world import SHOPIFY, WOO, StockWorld, stock_world

SKU = "P0001"


@dataclass(frozen=True)
class Moment:
    step: str
    shopify: int
    woo: int
    deliverable: int


class Race:
    def __init__(self, world: StockWorld) -> None:
        self.world = world
        shops = {shop.id: shop for shop in world.config.shops}
        links = OrderLinks()
        self.intake = OrderIntake(world.db, world.queue, links, shops)
        self.hooks = stock_marks(world.context, debounce_s=0)  # as the lead wires them into the order flow
        self.transfer = OrderTransfer(
            world.db, world.rackbeat, links, CustomerResolver(world.db, world.rackbeat), shops, MAPPERS,
            on_transferred=self.hooks.order_transferred,
        )
        self.sold = 0
        self.step = "start"
        self.history: list[Moment] = []
        for counter in world.counters.values():
            counter.after.append(self.record)

    def deliverable(self) -> int:
        catalog = self.world.rackbeat_emulator.state.catalog
        return int(catalog.quantities(catalog.find_product(SKU)).stock) - self.sold

    def record(self) -> None:
        shown_a, shown_b = self.world.shown(SHOPIFY)[SKU], self.world.shown(WOO)[SKU]
        self.history.append(Moment(self.step, shown_a, shown_b, self.deliverable()))

    async def accept(self, payload_format: str, payload: dict, shop_id: str) -> None:
        order = MAPPERS[payload_format](payload, shop_id)
        await self.intake.accept(Sighting(order, payload_format, payload))
        async with self.world.db.pool.acquire() as conn, conn.transaction():  # inside accept's, once wired
            await self.hooks.orders_seen(conn, [order])

    async def order_in_shopify(self, quantity: int) -> None:
        control = f"{self.world.urls[SHOPIFY].rsplit('/', 1)[0]}/_sandbox/{SHOPIFY}/orders"
        body = {"lines": [{"sku": SKU, "quantity": quantity}], "customer": {"email": "a@example.com"}}
        async with self.world.session.post(control, json=body) as response:
            assert response.status == 201, await response.text()
            payload = (await response.json())["order"]
        self.sold += quantity
        await self.accept(SHOPIFY_REST, payload, SHOPIFY)

    async def order_in_woo(self, quantity: int) -> None:
        control = f"{self.world.urls[WOO].rsplit('/', 1)[0]}/_sandbox/{WOO}/orders"
        body = {"lines": [{"sku": SKU, "quantity": quantity, "tax_rate": 25}],
                "billing": {"email": "b@example.com", "first_name": "B", "country": "DK"}}
        async with self.world.session.post(control, json=body) as response:
            assert response.status == 201, await response.text()
            payload = await response.json()
        self.sold += quantity
        await self.accept(WOOCOMMERCE, payload, WOO)

    async def transfer_orders(self) -> None:
        await self.world.run_jobs((TRANSFER_KIND,), {TRANSFER_KIND: self.transfer})

    async def settle(self, step: str) -> None:
        """Run every stock job; then no shop may show more than can be delivered."""
        self.step = step
        await self.world.run_jobs()
        shown = (self.world.shown(SHOPIFY)[SKU], self.world.shown(WOO)[SKU])
        assert max(shown) <= self.deliverable(), (step, shown, self.deliverable())

    def moments(self, *steps: str) -> list[Moment]:
        return [m for m in self.history if m.step in steps]


async def test_orders_during_pushes_never_leave_a_shop_showing_more_than_deliverable(db):
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=2, customers=1, stock={1: 5, 2: 0}),
        shopify_seed=ShopifySeed(skus=["P0001", "P0002"]),
        woo_seed=WooSeed(simple_skus=["P0001", "P0002"]),
    ) as world:
        race = Race(world)
        await world.reconcile()
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (5, 5)

        # An order in A: its units are reserved for every shop until Rackbeat has them.
        await race.order_in_shopify(3)
        await race.settle("order A seen")
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (2, 2)

        # Order A moves into Rackbeat between the push's reservation read and its Rackbeat read: counted
        # twice (under-show) for one round, never zero times.
        original = world.flow.rackbeat.available

        async def transfer_first(skus, location):
            if world.flow.rackbeat.available is not original:
                world.flow.rackbeat.available = original
                await race.transfer_orders()
            return await original(skus, location)

        world.flow.rackbeat.available = transfer_first
        race.step = "A transferred mid-push"
        await world.rackbeat_stock(SKU, 6)
        await race.settle("A transferred mid-push")
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (3, 3)
        mid = race.moments("A transferred mid-push")
        assert mid and all(max(m.shopify, m.woo) <= m.deliverable for m in mid), mid
        assert 0 in [m.shopify for m in mid]  # the double-counted round really happened

        # An order in B lands while A's push is on the wire: the push re-runs for both shops.
        target = world.flow.pusher._shops[SHOPIFY].target
        push = target.push

        async def order_first(batch):
            target.push = push
            await race.order_in_woo(2)
            return await push(batch)

        target.push = order_first
        await world.rackbeat_stock(SKU, 7)
        await race.settle("order B during push")
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (2, 2)

        # Both orders in Rackbeat: from here on nothing shown exceeds what can be delivered.
        race.step = "both in Rackbeat"
        await race.transfer_orders()
        await race.settle("both in Rackbeat")
        assert world.rackbeat_available(SKU) == 2
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (2, 2)
        after = race.moments("both in Rackbeat")
        assert after and all(max(m.shopify, m.woo) <= m.deliverable for m in after), after


async def test_an_unpaid_order_reserves_and_cancelling_it_gives_the_units_back(db):
    async with stock_world(
        db,
        rackbeat_seed=RackbeatSeed(products=1, customers=1, stock={1: 5, 2: 0}),
        shopify_seed=ShopifySeed(skus=["P0001"]),
        woo_seed=WooSeed(simple_skus=["P0001"]),
    ) as world:
        race = Race(world)
        await world.reconcile()
        control = f"{world.urls[SHOPIFY].rsplit('/', 1)[0]}/_sandbox/{SHOPIFY}/orders"
        body = {"lines": [{"sku": SKU, "quantity": 4}], "financial_status": "pending",
                "customer": {"email": "a@example.com"}}
        async with world.session.post(control, json=body) as response:
            placed = (await response.json())["order"]
        await race.accept(SHOPIFY_REST, placed, SHOPIFY)
        assert (await world.db.pool.fetchval("SELECT state FROM shop_orders")) == "waiting"
        await race.settle("unpaid")
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (1, 1)

        async with world.session.post(f"{control}/{placed['id']}/cancel", json={}) as response:
            cancelled = (await response.json())["order"]
        await race.accept(SHOPIFY_REST, cancelled, SHOPIFY)
        assert (await world.db.pool.fetchval("SELECT state FROM shop_orders")) == "skipped"
        await race.settle("cancelled")
        assert (world.shown(SHOPIFY)[SKU], world.shown(WOO)[SKU]) == (5, 5)
