"""The order flow against the Rackbeat emulator over real HTTP and a real PostgreSQL.

Jobs are taken from the queue and run by hand here, so each step (and each crash between steps) can be
observed; the worker pool itself is tested in the queue tests and end to end.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import aiohttp
import pytest

from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.errors import RetryableError, TerminalError
from daemon.http.ratelimit import RateLimiter
from daemon.queue.store import JobQueue
from daemon.sandbox.common import serve
from daemon.sandbox.rackbeat import RackbeatEmulator, RackbeatSeed
from daemon.sync.order_flow.cancel import OrderCancel
from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.handlers import MAPPERS, SHOPIFY_REST, WOOCOMMERCE
from daemon.sync.order_flow.intake import OrderIntake, Sighting
from daemon.sync.order_flow.links import OrderLinks
from daemon.sync.order_flow.transfer import OrderTransfer
from daemon.sync.orders import order_from_shopify_rest, order_from_woocommerce
from tests.fixtures.shop_orders import Item, Scenario, shopify_rest_order, woo_order

D = Decimal


def config_for(rackbeat_url: str, start_date: str | None = None, **order_options) -> Config:
    return Config.model_validate(
        {
            "rackbeat": {"api_url": rackbeat_url, "token": "rb-sandbox-token"},
            "shops": [
                {
                    "id": "shop-a",
                    "type": "shopify",
                    "api_url": "http://127.0.0.1:1/shop-a",
                    "access_token": "t",
                    "webhook_secret": "s",
                    "orders": {"shipping_product": "shipping", "rounding_product": "discount", **order_options},
                    "start_date": start_date,
                },
                {
                    "id": "woo",
                    "type": "woocommerce",
                    "api_url": "http://127.0.0.1:1/woo",
                    "consumer_key": "ck",
                    "consumer_secret": "cs",
                    "webhook_secret": "s",
                    "orders": {"shipping_product": "shipping", "rounding_product": "discount", **order_options},
                },
            ],
        }
    )


class Flow:
    """The order flow wired to one emulator and one database, with jobs run on demand."""

    def __init__(self, db, emulator: RackbeatEmulator, rackbeat_url: str, session, **options) -> None:
        self.db = db
        self.emulator = emulator
        self.config = config_for(rackbeat_url, **options)
        shops = {shop.id: shop for shop in self.config.shops}
        limiter = RateLimiter("rackbeat", per_second=1000, burst=1000, concurrency=8)
        self.rackbeat = RackbeatClient.create(self.config.rackbeat, session, limiter)
        self.queue = JobQueue(db)
        links = OrderLinks()
        self.intake = OrderIntake(db, self.queue, links, shops)
        self.transfer = OrderTransfer(db, self.rackbeat, links, CustomerResolver(db, self.rackbeat), shops, MAPPERS)
        self.cancel = OrderCancel(db, self.rackbeat, links)

    async def shopify(self, scenario: Scenario, **changes) -> str:
        payload = shopify_rest_order(scenario)
        payload.update(changes)
        return await self.intake.accept(Sighting(order_from_shopify_rest(payload, "shop-a"), SHOPIFY_REST, payload))

    async def run_jobs(self) -> list[BaseException]:
        """Run every pending job once (as a worker would), returning the errors raised."""
        errors = []
        for job in reversed(await self.queue.list(state="pending")):
            handler = {"order.transfer": self.transfer, "order.cancel": self.cancel}[job.kind]
            try:
                await handler.handle(job)
                await self.db.pool.execute("UPDATE jobs SET state = 'done' WHERE id = $1", job.id)
            except (RetryableError, TerminalError) as exc:
                await self.db.pool.execute("UPDATE jobs SET state = 'failed', blocked_on = $2 WHERE id = $1",
                                           job.id, exc.context.get("blocked_on"))
                errors.append(exc)
        return errors

    async def link(self, shop_order_id: str):
        return await self.db.pool.fetchrow(
            "SELECT * FROM shop_orders WHERE shop_id = 'shop-a' AND shop_order_id = $1", shop_order_id
        )


@pytest.fixture
async def rackbeat():
    emulator = RackbeatEmulator(seed=RackbeatSeed(products=6, customers=1))
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield emulator, f"{base_url}/api", session


@pytest.fixture
async def flow(db, rackbeat):
    emulator, url, session = rackbeat
    return Flow(db, emulator, url, session)


def scenario(**changes) -> Scenario:
    base = Scenario(
        items=(
            Item("P0001", "Shirt", 3, D("33.33"), D(25)),
            Item("P0002", "Book", 2, D("199.95"), D(12), line_discount=D("15.00")),
            Item("P0003", "Paper", 1, D("24.50"), D(0)),
        ),
        code="SPRING10",
        code_percent=D(10),
        shipping=D("49.00"),
        email="new.buyer@example.com",
    )
    return dataclasses.replace(base, **changes)


async def test_paid_order_becomes_one_rackbeat_order_with_the_shop_total(flow):
    shop_order = shopify_rest_order(scenario())
    assert await flow.shopify(scenario()) == "queued"
    assert await flow.run_jobs() == []
    orders = await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")
    assert len(orders) == 1
    assert D(str(orders[0]["total_total"])) == D(shop_order["total_price"])
    link = await flow.link("450789469")
    assert link["state"] == "transferred" and link["rackbeat_order_number"] == orders[0]["number"]
    customer = await flow.rackbeat.find_customer_by_email("new.buyer@example.com")
    assert customer is not None and link["rackbeat_customer_number"] == customer["number"]

    # the same order again, by webhook or poll: nothing new
    assert await flow.shopify(scenario()) == "duplicate"
    assert await flow.shopify(scenario(), note="edited") == "already_transferred"  # a new version: logged only
    assert await flow.run_jobs() == []
    assert len(await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")) == 1


async def test_returning_customer_costs_no_lookup(flow, monkeypatch):
    await flow.shopify(scenario())
    await flow.run_jobs()

    async def no_lookup(email):
        raise AssertionError(f"looked up {email} although it is cached")

    monkeypatch.setattr(flow.rackbeat, "find_customer_by_email", no_lookup)
    await flow.shopify(scenario(order_id=2, number=1002))
    assert await flow.run_jobs() == []
    first, second = await flow.link("450789469"), await flow.link("2")
    assert second["state"] == "transferred"
    assert first["rackbeat_customer_number"] == second["rackbeat_customer_number"]


async def test_order_waits_for_its_trigger_and_cancelled_never_transfers(flow):
    assert await flow.shopify(scenario(financial_status="pending")) == "waiting"
    assert await flow.queue.list(state="pending") == []
    assert await flow.shopify(scenario(financial_status="paid"), updated_at="2026-03-03T10:00:00+01:00") == "queued"
    assert await flow.run_jobs() == []
    assert (await flow.link("450789469"))["state"] == "transferred"

    assert await flow.shopify(scenario(order_id=7, cancelled=True)) == "skipped"
    assert await flow.run_jobs() == []
    assert (await flow.link("7"))["rackbeat_order_number"] is None


async def test_an_older_payload_never_overwrites_newer_state(flow):
    await flow.shopify(scenario(financial_status="pending"), updated_at="2026-03-03T10:00:00+01:00")
    outcome = await flow.shopify(scenario(financial_status="paid"), updated_at="2026-03-03T09:00:00+01:00")
    assert outcome == "stale"
    link = await flow.link("450789469")
    assert link["state"] == "waiting" and link["payload"]  # still the newer (pending) version


async def test_cancel_between_queue_and_transfer_is_honoured(flow):
    await flow.shopify(scenario())
    await flow.shopify(scenario(cancelled=True), updated_at="2026-03-05T10:00:00+01:00")
    assert await flow.run_jobs() == []
    link = await flow.link("450789469")
    assert link["state"] == "skipped" and link["rackbeat_order_number"] is None


async def test_unknown_sku_parks_the_order_until_the_product_appears(flow):
    bad = scenario(items=(Item("P0001", "Shirt", 1, D("100.00"), D(25)), Item("NEW-SKU", "New", 1, D("50.00"), D(25))))
    await flow.shopify(bad)
    errors = await flow.run_jobs()
    assert len(errors) == 1 and isinstance(errors[0], TerminalError)
    reason = errors[0].reason
    assert "shop-a" in reason and "450789469" in reason and "NEW-SKU" in reason
    link = await flow.link("450789469")
    assert link["state"] == "parked" and "NEW-SKU" in link["reason"]
    job = (await flow.queue.list(state="failed"))[0]
    assert job.blocked_on == "sku:NEW-SKU"

    await flow.rackbeat.create_product({"number": "NEW-SKU", "name": "New", "sales_price": 40, "group": 1})
    assert await flow.queue.release_blocked("sku:NEW-SKU") == 1
    assert await flow.run_jobs() == []
    assert (await flow.link("450789469"))["state"] == "transferred"


@pytest.mark.parametrize("sku,why", [("X" * 26, "longer than 25"), (None, "no SKU")])
async def test_bad_sku_lines_are_parked_with_a_reason(flow, sku, why):
    await flow.shopify(scenario(items=(Item(sku, "Odd", 1, D("10.00"), D(25)),)))
    errors = await flow.run_jobs()
    assert len(errors) == 1 and isinstance(errors[0], TerminalError)
    assert "shop-a" in errors[0].reason and "450789469" in errors[0].reason
    assert (await flow.link("450789469"))["state"] == "parked"
    assert await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469") == []
    assert await flow.rackbeat.find_customer_by_email("new.buyer@example.com") is None


async def test_create_whose_response_was_lost_is_adopted_not_repeated(flow):
    await flow.shopify(scenario())
    flow.emulator.faults.update({"commit_drop_rate": 1.0})
    errors = await flow.run_jobs()  # the customer create is dropped: retried, then found by email
    await flow.db.pool.execute("UPDATE jobs SET state = 'pending' WHERE kind = 'order.transfer'")
    errors += await flow.run_jobs()  # now the order create is committed and its answer lost
    assert len(errors) == 2 and all(isinstance(e, RetryableError) for e in errors)
    flow.emulator.faults.update({"commit_drop_rate": 0.0})
    assert len(await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")) == 1  # it was committed
    customers = [c async for page in flow.rackbeat.iter_pages("customers") for c in page]
    assert sum(c.get("contact_email") == "new.buyer@example.com" for c in customers) == 1

    await flow.db.pool.execute("UPDATE jobs SET state = 'pending' WHERE kind = 'order.transfer'")
    assert await flow.run_jobs() == []
    assert len(await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")) == 1
    assert (await flow.link("450789469"))["state"] == "transferred"


async def test_crash_between_create_and_bookkeeping_is_adopted(flow):
    """Simulates the process dying after Rackbeat's create: the link was never written."""
    await flow.shopify(scenario())
    await flow.run_jobs()
    number = (await flow.link("450789469"))["rackbeat_order_number"]
    await flow.db.pool.execute(
        "UPDATE shop_orders SET rackbeat_order_number = NULL, state = 'queued' WHERE shop_order_id = '450789469'"
    )
    await flow.db.pool.execute("UPDATE jobs SET state = 'pending' WHERE kind = 'order.transfer'")
    assert await flow.run_jobs() == []
    assert (await flow.link("450789469"))["rackbeat_order_number"] == number
    assert len(await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")) == 1


@pytest.mark.parametrize("process_to", ["draft", "booked", "shipped", "invoiced"])
async def test_processing_goes_as_far_as_configured(db, rackbeat, process_to):
    emulator, url, session = rackbeat
    flow = Flow(db, emulator, url, session, process_to=process_to)
    await flow.shopify(scenario())
    assert await flow.run_jobs() == []
    number = (await flow.link("450789469"))["rackbeat_order_number"]
    order = await flow.rackbeat.get_order(number)
    assert order["is_booked"] == (process_to != "draft")
    assert order["is_shipped"] == (process_to in ("shipped", "invoiced"))
    assert order["is_invoiced"] == (process_to == "invoiced")
    assert (await flow.link("450789469"))["processed_to"] == process_to


async def test_cancel_after_transfer_is_flagged_and_cancelled_when_configured(db, rackbeat):
    emulator, url, session = rackbeat
    flow = Flow(db, emulator, url, session, cancel_in_rackbeat=True)
    await flow.shopify(scenario())
    await flow.run_jobs()
    outcome = await flow.shopify(scenario(cancelled=True), updated_at="2026-03-09T10:00:00+01:00")
    assert outcome == "cancelled_after_transfer"
    assert await flow.run_jobs() == []
    link = await flow.link("450789469")
    assert link["shop_cancelled_at"] is not None and "cancelled" in link["attention"]
    assert (await flow.rackbeat.get_order(link["rackbeat_order_number"]))["is_cancelled"] is True


async def test_woo_order_with_tax_inclusive_prices_and_other_currency(flow):
    woo = woo_order(scenario(taxes_included=True, currency="EUR", woo_status="processing", order_id=88))
    order = order_from_woocommerce(woo, "woo")
    assert await flow.intake.accept(Sighting(order, WOOCOMMERCE, woo)) == "queued"
    assert await flow.run_jobs() == []
    found = await flow.rackbeat.find_orders_by_reference("rbsync:woo:88")
    assert len(found) == 1
    assert D(str(found[0]["total_total"])) == D(woo["total"]) and found[0]["currency"] == "EUR"


async def test_order_without_email_goes_to_the_default_customer(db, rackbeat):
    emulator, url, session = rackbeat
    flow = Flow(db, emulator, url, session, default_customer=1)
    await flow.shopify(scenario(email=None))
    assert await flow.run_jobs() == []
    assert (await flow.link("450789469"))["rackbeat_customer_number"] == 1


async def test_many_concurrent_sightings_of_one_new_order_store_it_once(flow):
    """Webhooks orders/create, /paid and /updated plus a poll can all arrive in the same instant."""
    import asyncio

    for order_id in range(1, 9):
        payload = shopify_rest_order(scenario(order_id=order_id, number=order_id))
        order = order_from_shopify_rest(payload, "shop-a")
        sightings = [flow.intake.accept(Sighting(order, SHOPIFY_REST, payload)) for _ in range(16)]
        outcomes = await asyncio.gather(*sightings)
        assert outcomes.count("queued") == 1 and set(outcomes) == {"queued", "duplicate"}  # acted on once
    assert len(await flow.queue.list(state="pending")) == 8
    assert await flow.run_jobs() == []
    for order_id in range(1, 9):
        assert len(await flow.rackbeat.find_orders_by_reference(f"rbsync:shop-a:{order_id}")) == 1


async def test_orders_before_the_start_date_wait_for_a_backfill(db, rackbeat):
    emulator, url, session = rackbeat
    flow = Flow(db, emulator, url, session, start_date="2026-03-10")
    assert await flow.shopify(scenario()) == "waiting"  # created 2026-03-02, before the start date
    assert await flow.queue.list(state="pending") == []

    payload = shopify_rest_order(scenario())
    payload["updated_at"] = "2026-03-01T00:00:00+01:00"  # even an older copy, fetched by the backfill
    order = order_from_shopify_rest(payload, "shop-a")
    assert await flow.intake.accept(Sighting(order, SHOPIFY_REST, payload, backfill=True)) == "queued"
    assert await flow.run_jobs() == []
    link = await flow.link("450789469")
    assert link["state"] == "transferred" and link["backfill"] is True
    assert link["shop_updated_at"].isoformat().startswith("2026-03-0")  # the newer stored version was kept
    assert link["shop_updated_at"] > order.updated_at


async def test_orders_not_yet_in_rackbeat_reserve_their_units_across_shops(flow):
    from daemon.sync.stock.reservations import Reservations

    reservations = Reservations(flow.db)
    await flow.shopify(scenario(order_id=1, financial_status="pending"))  # waiting: reserves
    await flow.shopify(scenario(order_id=2, cancelled=True))  # cancelled before transfer: reserves nothing
    woo = woo_order(scenario(order_id=3, woo_status="processing"))
    await flow.intake.accept(Sighting(order_from_woocommerce(woo, "woo"), WOOCOMMERCE, woo))  # queued: reserves
    assert await reservations.by_sku(["P0001", "P0002", "P0003", "NONE"]) == {"P0001": 6, "P0002": 4, "P0003": 2}

    # a newer version with other quantities replaces the old lines
    await flow.shopify(scenario(order_id=1, financial_status="pending", items=(Item("P0001", "Shirt", 1, D("10"), D(25)),)),
                       updated_at="2026-03-04T10:00:00+01:00")
    assert (await reservations.by_sku(["P0001"]))["P0001"] == 4

    assert await flow.run_jobs() == []  # the Woo order goes to Rackbeat: Rackbeat holds its units now
    assert await reservations.by_sku(["P0001", "P0002", "P0003"]) == {"P0001": 1}


async def test_items_about_one_order_handed_over_together_go_into_the_intake_once_newest_first(flow, monkeypatch):
    import datetime as dt

    from daemon.sync.order_flow.handlers import ShopOrderHandler
    from daemon.webhooks.dispatch import InboxItem

    def item(n: int, payload: dict) -> InboxItem:
        return InboxItem(n, "shopify", "shop-a", "orders/updated", payload, {}, dt.datetime.now(dt.timezone.utc))

    accepted = []
    accept_many = flow.intake.accept_many
    monkeypatch.setattr(flow.intake, "accept_many", lambda s: accepted.extend(x.order for x in s) or accept_many(s))
    snapshot = shopify_rest_order(scenario())
    newer = {**snapshot, "updated_at": "2026-03-05T10:00:00+01:00"}
    other = shopify_rest_order(scenario(order_id=2, number=1002))
    misshapen = {**shopify_rest_order(scenario(order_id=3, number=1003)), "shipping_address": "Main St 1"}
    items = [item(1, snapshot), item(2, newer), item(3, snapshot), item(4, other), item(5, {"id": 9})]
    items.append(item(6, misshapen))
    outcomes = await ShopOrderHandler(flow.intake, SHOPIFY_REST).handle_many(items)

    assert outcomes[:4] == [None] * 4  # the malformed ones fail alone, parked with what is wrong
    assert isinstance(outcomes[4], TerminalError) and "shop-a" in outcomes[4].reason
    assert "missing field 'created_at'" in outcomes[4].reason and "order id 9" in outcomes[4].reason
    assert isinstance(outcomes[5], TerminalError) and "order id 3" in outcomes[5].reason
    assert "AttributeError" in outcomes[5].reason  # a field of the wrong shape (an address given as text)
    when = dt.datetime.fromisoformat
    assert sorted((o.shop_order_id, o.updated_at) for o in accepted) == [
        ("2", when(other["updated_at"])), ("450789469", when(newer["updated_at"]))
    ]
    assert (await flow.link("450789469"))["state"] == "queued" and (await flow.link("2"))["state"] == "queued"


async def test_a_batch_goes_in_together_and_each_order_gets_its_own_outcome(flow):
    def sighting(*, updated_at: str | None = None, **changes) -> Sighting:
        payload = shopify_rest_order(scenario(**changes))
        payload["updated_at"] = updated_at or payload["updated_at"]
        return Sighting(order_from_shopify_rest(payload, "shop-a"), SHOPIFY_REST, payload)

    known, newer = sighting(order_id=1, number=1001), sighting(order_id=4, number=1004, updated_at="2026-03-09T10:00:00+01:00")
    assert [await flow.intake.accept(s) for s in (known, newer)] == ["queued", "queued"]
    older = sighting(order_id=4, number=1004)

    batch = [known, sighting(order_id=2, number=1002), older, sighting(order_id=3, number=1003, financial_status="pending")]
    assert await flow.intake.accept_many(batch) == ["duplicate", "queued", "stale", "waiting"]
    assert [(await flow.link(n))["state"] for n in ("1", "2", "3", "4")] == ["queued", "queued", "waiting", "queued"]
    lines = await flow.db.pool.fetchval("SELECT count(*) FROM shop_order_lines WHERE shop_order_id = '2'")
    assert lines == 3
    assert sorted(job.payload["order"] for job in await flow.queue.list(state="pending")) == ["1", "2", "4"]
    with pytest.raises(ValueError):
        await flow.intake.accept_many([known, known])
    # a newer version brings the same line ids back: the old lines go first
    paid = sighting(order_id=3, number=1003, updated_at="2026-03-09T11:00:00+01:00")
    assert await flow.intake.accept_many([paid]) == ["queued"]
    assert await flow.db.pool.fetchval("SELECT count(*) FROM shop_order_lines WHERE shop_order_id = '3'") == 3


async def test_an_order_that_breaks_its_batch_fails_alone(flow):
    def sighting(order_id: int) -> Sighting:
        payload = shopify_rest_order(scenario(order_id=order_id, number=1000 + order_id))
        return Sighting(order_from_shopify_rest(payload, "shop-a"), SHOPIFY_REST, payload)

    async def on_stored(conn, orders) -> None:  # stands in for any statement one order makes fail
        if any(order.shop_order_id == "2" for order in orders):
            raise RuntimeError("order 2 cannot be stored")

    intake = OrderIntake(flow.db, flow.queue, OrderLinks(), {s.id: s for s in flow.config.shops}, on_stored=on_stored)
    outcomes = await intake.accept_many([sighting(1), sighting(2), sighting(3)])
    assert outcomes[0] == outcomes[2] == "queued" and isinstance(outcomes[1], RuntimeError)
    assert await flow.link("2") is None and (await flow.link("3"))["state"] == "queued"


async def test_a_run_after_the_link_makes_the_stock_mark_again(flow):
    """A crash between linking the Rackbeat order and marking its SKUs: the rerun marks them."""
    marked: list[tuple[str, int]] = []

    async def on_transferred(order, number) -> None:
        marked.append((order.shop_order_id, number))
        if len(marked) == 1:
            raise RetryableError("the process died here")

    flow.transfer = OrderTransfer(
        flow.db, flow.rackbeat, OrderLinks(), CustomerResolver(flow.db, flow.rackbeat),
        {s.id: s for s in flow.config.shops}, MAPPERS, on_transferred=on_transferred,
    )
    await flow.shopify(scenario())
    assert len(await flow.run_jobs()) == 1
    number = (await flow.link("450789469"))["rackbeat_order_number"]
    await flow.db.pool.execute("UPDATE jobs SET state = 'pending' WHERE kind = 'order.transfer'")
    assert await flow.run_jobs() == []
    assert marked == [("450789469", number)] * 2
    assert len(await flow.rackbeat.find_orders_by_reference("rbsync:shop-a:450789469")) == 1
