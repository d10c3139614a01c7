"""Pure product mapping: shop JSON → variants, variants → Rackbeat bodies, Rackbeat → shop inputs, VAT."""

from __future__ import annotations

from decimal import Decimal

from daemon.config.model import ProductOptions
from daemon.sync.products import mapping
from daemon.sync.products.echo import fingerprint
from daemon.sync.products.model import Pricing, ShopVariant, sku_problem
from daemon.sync.products.shop_payloads import (
    variant_from_shopify_node,
    variants_from_shopify_rest,
    variants_from_woo,
)

D = Decimal
WITH_VAT = Pricing(True, D(25))
WITHOUT_VAT = Pricing(False, D(25))


def variant(**changes) -> ShopVariant:
    base = dict(
        variant_id="v1", product_id="p1", sku="SKU-1", name="Shirt", description="Soft & warm",
        price=D("125.00"), barcode="5701234567890", weight_kg=D("0.35"), stock=7, active=True,
    )
    return ShopVariant(**{**base, **changes})


def test_vat_conversion_both_ways_rounds_to_cents():
    assert WITH_VAT.shop_price(D("10.95")) == D("13.69")
    assert WITH_VAT.rackbeat_price(D("13.69")) == D("10.95")
    assert WITHOUT_VAT.shop_price(D("10.95")) == D("10.95")
    assert Pricing.of(ProductOptions(prices_include_vat=True, vat_rate=12.5)).rackbeat_price(D("112.50")) == D("100.00")


def test_sku_rules():
    assert sku_problem("A" * 25) is None
    assert sku_problem("A" * 26) == "SKU longer than 25 characters (26)"
    assert sku_problem("") == "variant has no SKU"


def test_shopify_rest_webhook_variants():
    product = {
        "id": 1, "admin_graphql_api_id": "gid://shopify/Product/1", "title": "Shirt", "status": "active",
        "body_html": "<p>Soft &amp; warm</p>",
        "variants": [
            {"id": 11, "admin_graphql_api_id": "gid://shopify/ProductVariant/11", "title": "S", "sku": "SH-S",
             "price": "125.00", "barcode": "123", "grams": 350, "inventory_quantity": 4,
             "inventory_management": "shopify"},
            {"id": 12, "title": "M", "sku": " SH-M ", "price": "130.00", "barcode": None,
             "weight": 1.5, "weight_unit": "lb", "inventory_management": None},
        ],
    }
    small, medium = variants_from_shopify_rest(product)
    assert (small.variant_id, small.name, small.description, small.price, small.weight_kg, small.stock) == (
        "gid://shopify/ProductVariant/11", "Shirt - S", "Soft & warm", D("125.00"), D("0.35"), 4,
    )
    assert (medium.sku, medium.barcode, medium.stock, medium.variant_id) == ("SH-M", "", None, "12")
    assert medium.weight_kg == D("0.680388555")


def test_shopify_catalogue_node_lone_variant_takes_the_product_title():
    node = {
        "id": "gid://shopify/ProductVariant/5", "sku": "X1", "title": "Default Title", "price": "10.00",
        "barcode": None, "inventoryQuantity": 3, "inventoryItem": {"tracked": True},
        "product": {"id": "gid://shopify/Product/4", "title": "Mug", "descriptionHtml": "", "status": "DRAFT",
                    "variantsCount": {"count": 1}},
    }
    item = variant_from_shopify_node(node)
    assert (item.name, item.stock, item.active, item.price) == ("Mug", 3, False, D("10.00"))


def test_woo_simple_and_variable():
    simple = {"id": 1, "type": "simple", "name": "Cap", "sku": "CAP", "regular_price": "99.00", "weight": "0.2",
              "description": "<b>Cap</b>", "manage_stock": True, "stock_quantity": 5, "status": "publish",
              "meta_data": [{"key": "_barcode", "value": "777"}]}
    [cap] = variants_from_woo(simple)
    assert (cap.name, cap.barcode, cap.weight_kg, cap.description, cap.stock) == ("Cap", "777", D("0.2"), "Cap", 5)
    parent = {"id": 2, "type": "variable", "name": "Tee", "weight": "0.3", "description": "Cotton"}
    variation = {"id": 3, "sku": "TEE-L", "regular_price": "150.00", "attributes": [{"option": "L"}],
                 "manage_stock": "parent", "status": "private"}
    [tee] = variants_from_woo(parent, [variation])
    assert (tee.name, tee.product_id, tee.weight_kg, tee.stock, tee.active) == ("Tee - L", "2", D("0.3"), None, False)


def test_rackbeat_create_body_converts_vat_and_uses_the_group():
    body = mapping.rackbeat_create_body(variant(), WITH_VAT, group=7)
    assert body == {
        "number": "SKU-1", "name": "Shirt", "group": 7, "sales_price": 100, "description": "Soft & warm",
        "barcode": "5701234567890", "physical": {"weight": 0.35},
    }


def test_rackbeat_changes_only_what_differs():
    current = {"name": "Shirt", "description": "Soft & warm", "barcode": "5701234567890", "sales_price": 100.0,
               "physical": {"weight": 0.35}}
    assert mapping.rackbeat_changes(current, variant(), WITH_VAT) == {}
    changed = mapping.rackbeat_changes(current, variant(price=D("137.50"), name="Shirt 2"), WITH_VAT)
    assert changed == {"name": "Shirt 2", "sales_price": 110}


def test_shop_inputs_from_a_rackbeat_product():
    product = {"number": "P1", "name": "Bolt", "description": "M8 <zinc>", "sales_price": 8, "barcode": "42",
               "group": {"name": "Hardware"}, "is_barred": True}
    fields = mapping.shop_fields(product, WITH_VAT)
    created = mapping.shopify_create_input(fields)
    assert created["status"] == "DRAFT" and created["productType"] == "Hardware"
    assert created["descriptionHtml"] == "M8 &lt;zinc&gt;"
    assert created["variants"][0]["price"] == "10.00" and created["variants"][0]["inventoryItem"]["sku"] == "P1"
    assert mapping.woo_create_body(fields)["status"] == "draft"
    assert mapping.woo_variation_body("9", fields)["status"] == "private"


def test_what_we_wrote_and_what_the_shop_echoes_hash_the_same():
    product = {"number": "SKU-1", "name": "Shirt", "description": "Soft & warm", "sales_price": 100,
               "barcode": "5701234567890", "group": {"name": "Goods"}}
    written = mapping.shop_view(mapping.shop_fields(product, WITH_VAT))
    echoed = mapping.shop_view(variant())
    assert fingerprint(written) == fingerprint(echoed)
    assert fingerprint(mapping.shop_view(variant(price=D("125.01")))) != fingerprint(written)
