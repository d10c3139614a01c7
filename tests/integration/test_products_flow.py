"""The live product flow over real HTTP (Rackbeat, Shopify and WooCommerce emulators) and PostgreSQL:
each direction and field for both shop types, drafts, variants, echo suppression, long SKUs."""

from __future__ import annotations

from decimal import Decimal

from structlog.testing import capture_logs

from daemon.queue.store import JobQueue
from daemon.sandbox.common import serve
from daemon.sandbox.shopify.testing import WebhookReceiver
from daemon.sync.order_flow.parts import build_order_parts
from daemon.sync.parts import FlowContext, FlowParts
from daemon.sync.products.handlers import TO_SHOP_KIND
from daemon.sync.products.parts import build_product_parts
from tests.integration.test_products_world import SHOPIFY_ID, WOO_ID, inbox_item, world  # noqa: F401

D = Decimal


class Flow:
    """The product flow's parts as the program wires them, with jobs run by hand."""

    def __init__(self, world, db, **options) -> None:
        self.world = world
        self.db = db
        self.config = world.config(**options)
        self.rackbeat, self.clients = world.clients(self.config)
        self.queue = JobQueue(db)
        context = FlowContext(self.config, db, self.queue, self.rackbeat, self.clients)
        self.context = context
        parts = build_product_parts(context)
        self.routes = parts.routes
        self.handlers = parts.handlers

    async def rackbeat_event(self, event: str, number: str) -> None:
        body = {"key": number, "key_name": "number", "event": event, "data": {"number": number}}
        await self.routes[("rackbeat", event)].handle(inbox_item("rackbeat", "rackbeat", event, body))
        for job in reversed(await self.queue.list(state="pending", kind=TO_SHOP_KIND)):
            await self.handlers[job.kind].handle(job)
            await self.db.pool.execute("UPDATE jobs SET state = 'done' WHERE id = $1", job.id)

    async def shop_event(self, source: str, shop_id: str, topic: str, payload: dict) -> None:
        await self.routes[(source, topic)].handle(inbox_item(source, shop_id, topic, payload))


async def test_rackbeat_to_shops_creates_updates_and_drafts(world, db):
    flow = Flow(world, db, master="rackbeat")
    await flow.rackbeat_event("product.created", "P0003")
    product = world.shopify_product_of("P0003")
    [variant] = world.shopify_variants("P0003")
    assert (product.title, product.status, product.product_type) == ("Product 3", "ACTIVE", "Goods")
    assert (variant.price, variant.barcode) == (D("38.69"), "57" + "3".zfill(11))  # 30.95 + 25% VAT
    [woo] = world.woo_items("P0003")
    assert (woo.name, woo.regular_price, woo.status, woo.type) == ("Product 3", "38.69", "publish", "simple")
    assert {"key": "_barcode", "value": "57" + "3".zfill(11)}.items() <= woo.meta_data[0].items()

    await flow.rackbeat.update_product("P0003", {"name": "Bolt", "sales_price": 8, "description": "Zinc & steel"})
    await flow.rackbeat_event("product.updated", "P0003")
    product = world.shopify_product_of("P0003")
    assert (product.title, product.description_html) == ("Bolt", "Zinc &amp; steel")
    assert world.shopify_variants("P0003")[0].price == D("10.00")
    [woo] = world.woo_items("P0003")
    assert (woo.name, woo.regular_price, woo.description) == ("Bolt", "10.00", "Zinc &amp; steel")

    await flow.rackbeat.update_product("P0003", {"is_barred": True})
    await flow.rackbeat_event("product.updated", "P0003")
    assert world.shopify_product_of("P0003").status == "DRAFT"
    assert world.woo_items("P0003")[0].status == "draft"


async def test_a_deleted_rackbeat_product_becomes_a_draft_not_deleted(world, db):
    flow = Flow(world, db, master="rackbeat")
    await flow.rackbeat_event("product.created", "P0004")
    catalog = world.rackbeat_emulator.state.catalog
    catalog.delete_product(catalog.products["P0004"])
    await flow.rackbeat_event("product.deleted", "P0004")
    assert world.shopify_product_of("P0004").status == "DRAFT"
    assert world.woo_items("P0004")[0].status == "draft"


async def test_prices_without_vat_when_the_shop_says_so(world, db):
    flow = Flow(world, db, master="rackbeat", prices_include_vat=False)
    await flow.rackbeat_event("product.created", "P0003")
    assert world.shopify_variants("P0003")[0].price == D("30.95")
    assert world.woo_items("P0003")[0].regular_price == "30.95"


async def test_a_number_that_is_a_variant_sku_updates_that_variant_and_creates_nothing(world, db):
    flow = Flow(world, db, master="rackbeat")
    products_before, woo_before = len(world.shop.products), len(world.site.store.products)
    await flow.rackbeat_event("product.updated", "P0001")
    await flow.rackbeat_event("product.updated", "P0002")
    assert (len(world.shop.products), len(world.site.store.products)) == (products_before, woo_before)
    [variant] = world.shopify_variants("P0001")
    assert (variant.price, variant.barcode) == (D("13.69"), "57" + "1".zfill(11))
    assert world.shopify_product_of("P0001").title == "Product 1"  # a shared product keeps its own title
    [variation] = world.woo_items("P0002")
    assert (variation.type, variation.regular_price) == ("variation", "26.19")

    await flow.rackbeat.update_product("P0002", {"is_barred": True})
    with capture_logs() as logs:
        await flow.rackbeat_event("product.updated", "P0002")
    assert world.shopify_product_of("P0002").status == "ACTIVE"  # Shopify cannot draft one variant
    assert any(entry["event"] == "product.draft_skipped" and entry["sku"] == "P0002" for entry in logs)
    assert world.woo_items("P0002")[0].status == "private"  # WooCommerce disables the variation


async def new_shopify_product(flow: Flow, title: str, variants: list[tuple[str, str, str]]) -> None:
    shopify = flow.clients[SHOPIFY_ID]
    await shopify.product_set(
        {
            "title": title,
            "descriptionHtml": "<p>Warm &amp; dry</p>",
            "productOptions": [{"name": "Size", "values": [{"name": sku[-1]} for sku, _, _ in variants]}],
            "variants": [
                {"optionValues": [{"optionName": "Size", "name": sku[-1]}], "price": price, "barcode": barcode,
                 "inventoryItem": {"sku": sku}}
                for sku, price, barcode in variants
            ],
        }
    )


async def test_shopify_to_rackbeat_each_variant_is_a_product_in_the_configured_group(world, db):
    flow = Flow(world, db, master="shop", product_group=2)
    await new_shopify_product(flow, "Jacket", [("JK-S", "250.00", "111"), ("JK-M", "262.50", "222")])
    parked = await flow.queue.enqueue("order.transfer", {"order": 1})
    await db.pool.execute("UPDATE jobs SET state = 'failed', blocked_on = 'sku:JK-S' WHERE id = $1", parked)
    payload = world.shopify_webhook("JK-S")
    payload["variants"][0]["grams"] = 1200
    with capture_logs() as logs:
        await flow.shop_event("shopify", SHOPIFY_ID, "products/create", payload)
    small, medium = world.rackbeat_product("JK-S"), world.rackbeat_product("JK-M")
    assert (small.name, small.group.number, small.sales_price, small.barcode) == ("Jacket - S", 2, D(200), "111")
    assert (small.description, small.physical["weight"]) == ("Warm & dry", D("1.2"))
    assert (medium.name, medium.sales_price) == ("Jacket - M", D(210))
    assert [e["sku"] for e in logs if e["event"] == "product.created"] == ["JK-S", "JK-M"]
    assert (await flow.queue.get(parked)).state == "pending"  # the order waiting for JK-S goes on

    [variant] = world.shopify_variants("JK-M")
    await flow.clients[SHOPIFY_ID].variants_bulk_update(
        world.shopify_product_of("JK-M").id, [{"id": f"gid://shopify/ProductVariant/{variant.id}", "price": "275.00"}]
    )
    with capture_logs() as logs:
        await flow.shop_event("shopify", SHOPIFY_ID, "products/update", world.shopify_webhook("JK-M"))
    assert world.rackbeat_product("JK-M").sales_price == D(220)
    assert [(e["sku"], e["fields"]) for e in logs if e["event"] == "product.updated"] == [("JK-M", ["sales_price"])]


async def test_woocommerce_to_rackbeat_simple_and_variable(world, db):
    flow = Flow(world, db, master="shop")
    await flow.clients[WOO_ID].create_product(
        {"name": "Cap", "type": "simple", "sku": "CAP-1", "regular_price": "125.00", "weight": "0.2",
         "description": "<b>Red</b>", "meta_data": [{"key": "_barcode", "value": "999"}]}
    )
    await flow.shop_event("woocommerce", WOO_ID, "product.created", world.woo_webhook("CAP-1"))
    cap = world.rackbeat_product("CAP-1")
    assert (cap.name, cap.sales_price, cap.barcode, cap.description, cap.physical["weight"]) == (
        "Cap", D(100), "999", "Red", D("0.2"),
    )
    assert cap.group.number == 1
    await flow.shop_event("woocommerce", WOO_ID, "product.updated", world.woo_webhook("TEE"))
    tee = world.rackbeat_product("P0002")
    assert tee.sales_price == D(80) and tee.name.startswith("Product TEE - ")  # the variation, 100 incl. VAT
    assert world.rackbeat_product("TEE") is None  # the variable parent is no product of its own


async def test_a_sku_longer_than_25_characters_is_skipped_with_a_report_line(world, db):
    flow = Flow(world, db, master="shop")
    long_sku = "L" * 26
    await new_shopify_product(flow, "Long", [(long_sku, "10.00", "")])
    with capture_logs() as logs:
        await flow.shop_event("shopify", SHOPIFY_ID, "products/create", world.shopify_webhook(long_sku))
    assert world.rackbeat_product(long_sku) is None
    [line] = [e for e in logs if e["event"] == "product.skipped"]
    assert (line["sku"], line["reason"]) == (long_sku, "SKU longer than 25 characters (26)")


async def test_our_write_to_the_shop_echoed_back_writes_nothing_to_rackbeat(world, db):
    pushing = Flow(world, db, master="rackbeat")
    await pushing.rackbeat.update_product("P0003", {"sales_price": "10.9525"})  # 13.69 in the shop
    await pushing.rackbeat_event("product.created", "P0003")
    before = world.rackbeat_product("P0003").updated_at

    receiving = Flow(world, db, master="shop")
    with capture_logs() as logs:
        await receiving.shop_event("shopify", SHOPIFY_ID, "products/update", world.shopify_webhook("P0003"))
    # Without the guard the rounded shop price (13.69 / 1.25 = 10.95) would be written back.
    assert world.rackbeat_product("P0003").sales_price == D("10.9525")
    assert world.rackbeat_product("P0003").updated_at == before
    assert not [e for e in logs if e["event"] in ("product.updated", "product.created")]

    product = world.shopify_product_of("P0003")
    [variant] = world.shopify_variants("P0003")
    await receiving.clients[SHOPIFY_ID].variants_bulk_update(
        product.id, [{"id": f"gid://shopify/ProductVariant/{variant.id}", "price": "15.00"}]
    )
    await receiving.shop_event("shopify", SHOPIFY_ID, "products/update", world.shopify_webhook("P0003"))
    assert world.rackbeat_product("P0003").sales_price == D(12)  # a real shop change goes through


async def test_a_rackbeat_state_already_pushed_is_not_pushed_again(world, db):
    flow = Flow(world, db, master="rackbeat")
    await flow.rackbeat_event("product.created", "P0003")
    stamp = world.shopify_product_of("P0003").updated_at
    await flow.rackbeat_event("product.updated", "P0003")  # e.g. the poller seeing the same state
    assert world.shopify_product_of("P0003").updated_at == stamp


async def test_our_rackbeat_writes_announce_nothing(world, db):
    flow = Flow(world, db, master="shop")
    receiver = WebhookReceiver()
    async with serve(receiver.app) as hooks:
        for event in ("product.created", "product.updated"):
            await flow.rackbeat.register_webhook(event, f"{hooks}/rackbeat")
        await new_shopify_product(flow, "Scarf", [("SC-1", "50.00", "")])
        await flow.shop_event("shopify", SHOPIFY_ID, "products/create", world.shopify_webhook("SC-1"))
        await flow.shop_event("woocommerce", WOO_ID, "product.updated", world.woo_webhook("P0001"))
        await world.rackbeat_emulator.drain_webhooks()
        assert world.rackbeat_product("SC-1") is not None
        assert receiver.requests == []
        await flow.rackbeat.update_product("SC-1", {"name": "Scarf 2"}, suppress_webhooks=False)
        await world.rackbeat_emulator.drain_webhooks()
        assert len(receiver.requests) == 1  # the receiver does hear changes that are not ours


async def test_a_shared_route_reaches_the_order_flow_and_the_product_flow(world, db):
    flow = Flow(world, db, master="rackbeat")
    parked = await flow.queue.enqueue("order.transfer", {"order": 2})
    await db.pool.execute("UPDATE jobs SET state = 'failed', blocked_on = 'sku:P0003' WHERE id = $1", parked)
    parts = FlowParts().merge(build_order_parts(flow.context)).merge(build_product_parts(flow.context))
    body = {"key": "P0003", "key_name": "number", "event": "product.created", "data": {"number": "P0003"}}
    item = inbox_item("rackbeat", "rackbeat", "product.created", body)
    await parts.routes[("rackbeat", "product.created")].handle(item)
    assert (await flow.queue.get(parked)).state == "pending"
    pushes = await flow.queue.list(state="pending", kind=TO_SHOP_KIND)
    assert sorted(job.payload["shop"] for job in pushes) == [SHOPIFY_ID, WOO_ID]
