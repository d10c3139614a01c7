"""Reading the few fields the stock flow needs out of Rackbeat and shop JSON."""

from __future__ import annotations

from decimal import Decimal

from daemon.sync.rackbeat_items import record_number
from daemon.sync.stock.links import Link
from daemon.sync.stock.rackbeat_stock import location_available
from daemon.sync.stock.shop_catalogs import shopify_product_links
from daemon.sync.stock.shop_targets import refused_indices


def test_record_number_from_webhook_and_polled_product():
    assert record_number({"key": "P-1", "key_name": "number", "event": "inventory.changed", "data": {}}) == "P-1"
    assert record_number({"key": 17, "key_name": "id", "event": "inventory.changed", "data": {"number": "P-2"}}) == "P-2"
    assert record_number({"number": "P-3", "available_quantity": 4}) == "P-3"
    assert record_number({"key": 17, "key_name": "id", "event": "inventory.changed", "data": {}}) is None


def test_location_available_picks_the_location_or_zero():
    entries = [{"location_id": 1, "available_quantity": 9.5}, {"location": {"number": 2}, "available_quantity": 3}]
    assert location_available(entries, 1) == Decimal("9.5")
    assert location_available(entries, 2) == Decimal(3)
    assert location_available(entries, 3) == Decimal(0)


def test_shopify_product_webhook_links_variants_with_a_sku():
    product = {"id": 7, "variants": [
        {"id": 70, "sku": "A", "inventory_item_id": 700},
        {"id": 71, "sku": "", "inventory_item_id": 701},
    ]}
    assert shopify_product_links(product) == [
        Link("A", "gid://shopify/InventoryItem/700", "gid://shopify/ProductVariant/70", "gid://shopify/Product/7")
    ]


def testrefused_indices_come_from_the_user_error_field_path():
    errors = [{"field": ["input", "quantities", "3", "locationId"]}, {"field": ["input", "reason"]},
              {"field": ["input", "quantities", "9"]}]
    assert refused_indices(errors, 5) == {3}
