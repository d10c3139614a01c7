"""REST-shaped JSON, as webhooks carry it (an orders/* payload equals GET /orders/{id}.json).

Money is a two-decimal string with a ``*_set`` twin; timestamps use the shop's UTC offset, unlike GraphQL.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .ids import gid
from .money import ZERO, rest_amount, rest_money_set
from .store import InventoryLevel, Order, Product, ShopState, TaxLine

SHOP_TIMEZONE = ZoneInfo("Europe/Copenhagen")


def rest_time(moment: datetime | None) -> str | None:
    return moment.astimezone(SHOP_TIMEZONE).isoformat() if moment else None


def _money(name: str, value: Decimal, currency: str) -> dict[str, Any]:
    return {name: rest_amount(value), f"{name}_set": rest_money_set(value, currency)}


def _tax_lines(lines: list[TaxLine], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "title": t.title,
            "rate": float(t.rate),
            "channel_liable": False,
            **_money("price", t.price, currency),
        }
        for t in lines
    ]


def _allocations(allocations: list[tuple[Decimal, int]], currency: str) -> list[dict[str, Any]]:
    return [
        {"discount_application_index": index, **_money("amount", amount, currency)}
        for amount, index in allocations
    ]


def order_json(state: ShopState, order: Order) -> dict[str, Any]:
    currency = order.currency
    customer = state.customers.get(order.customer_id) if order.customer_id else None
    return {
        "id": order.id,
        "admin_graphql_api_id": gid("Order", order.id),
        "name": order.name,
        "number": order.number - 1000,
        "order_number": order.number,
        "email": order.email,
        "contact_email": order.email,
        "phone": order.phone,
        "created_at": rest_time(order.created_at),
        "updated_at": rest_time(order.updated_at),
        "processed_at": rest_time(order.created_at),
        "cancelled_at": rest_time(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
        "closed_at": rest_time(order.closed_at),
        "financial_status": order.financial_status,
        "fulfillment_status": state.fulfillment_status(order),
        "currency": currency,
        "presentment_currency": currency,
        "taxes_included": order.taxes_included,
        "note": order.note,
        "tags": ", ".join(order.tags),
        "test": False,
        "confirmed": True,
        "source_name": "web",
        **_money("total_line_items_price", order.total_line_items_price, currency),
        **_money("subtotal_price", order.subtotal_price, currency),
        **_money("total_discounts", order.total_discounts, currency),
        **_money("total_tax", order.total_tax, currency),
        **_money("total_price", order.total_price, currency),
        # no refunds exist in the emulator, so the "current" figures equal the original ones
        **_money("current_subtotal_price", order.subtotal_price, currency),
        **_money("current_total_discounts", order.total_discounts, currency),
        **_money("current_total_tax", order.total_tax, currency),
        **_money("current_total_price", order.total_price, currency),
        "total_outstanding": rest_amount(ZERO if order.financial_status == "paid" else order.total_price),
        "total_shipping_price_set": rest_money_set(order.total_shipping, currency),
        "tax_lines": [
            {"title": title, "rate": float(rate), "channel_liable": False, **_money("price", price, currency)}
            for (title, rate), price in order.tax_totals().items()
        ],
        "discount_codes": [
            {"code": d.code, "amount": rest_amount(d.amount), "type": d.value_type} for d in order.discounts
        ],
        "discount_applications": [
            {
                "type": "discount_code",
                "code": d.code,
                "value": str(d.value),
                "value_type": d.value_type,
                "allocation_method": "across",
                "target_selection": "all",
                "target_type": "line_item",
            }
            for d in order.discounts
        ],
        "line_items": [_line_item_json(state, order, item.id) for item in order.line_items],
        "shipping_lines": [
            {
                "id": line.id,
                "title": line.title,
                "code": line.code,
                "source": "shopify",
                **_money("price", line.price, currency),
                **_money("discounted_price", line.price, currency),
                "tax_lines": _tax_lines(line.tax_lines, currency),
                "discount_allocations": [],
                "is_removed": False,
            }
            for line in order.shipping_lines
        ],
        "customer": _customer_json(customer, order.shipping_address) if customer else None,
        "billing_address": order.billing_address,
        "shipping_address": order.shipping_address,
        "fulfillments": [fulfillment_json(state, fid) for fid in order.fulfillment_ids],
    }


def _line_item_json(state: ShopState, order: Order, line_item_id: int) -> dict[str, Any]:
    item = state.line_item(order, line_item_id)
    currency = order.currency
    fulfilled = state.fulfilled_quantity(order, item.id)
    return {
        "id": item.id,
        "admin_graphql_api_id": gid("LineItem", item.id),
        "product_id": item.product_id,
        "variant_id": item.variant_id,
        "sku": item.sku,
        "name": item.name,
        "title": item.title,
        "variant_title": item.variant_title,
        "quantity": item.quantity,
        "current_quantity": item.current_quantity,
        "fulfillable_quantity": max(0, item.current_quantity - fulfilled),
        "fulfillment_status": (
            None if fulfilled == 0 else "fulfilled" if fulfilled >= item.quantity else "partial"
        ),
        "product_exists": item.product_id in state.products,
        "taxable": bool(item.tax_lines),
        "requires_shipping": True,
        **_money("price", item.price, currency),
        # [S] Shopify's own order fixture shows "0.00" here while discount_allocations carry the code discount:
        # the field only reflects discounts set directly on the line, so the daemon must sum the allocations.
        **_money("total_discount", ZERO, currency),
        "tax_lines": _tax_lines(item.tax_lines, currency),
        "discount_allocations": _allocations(item.discount_allocations, currency),
    }


def _customer_json(customer, default_address: dict | None) -> dict[str, Any]:
    return {
        "id": customer.id,
        "admin_graphql_api_id": gid("Customer", customer.id),
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "default_address": default_address,
    }


def fulfillment_json(state: ShopState, fulfillment_id: int) -> dict[str, Any]:
    fulfillment = state.fulfillments[fulfillment_id]
    return {
        "id": fulfillment.id,
        "admin_graphql_api_id": gid("Fulfillment", fulfillment.id),
        "order_id": fulfillment.order_id,
        "name": fulfillment.name,
        "status": fulfillment.status.lower(),
        "location_id": fulfillment.location_id,
        "tracking_company": fulfillment.tracking_company,
        "tracking_number": fulfillment.tracking_number,
        "tracking_numbers": [fulfillment.tracking_number] if fulfillment.tracking_number else [],
        "tracking_url": fulfillment.tracking_url,
        "tracking_urls": [fulfillment.tracking_url] if fulfillment.tracking_url else [],
        "line_items": [{"id": item_id, "quantity": quantity} for item_id, quantity in fulfillment.lines],
        "created_at": rest_time(fulfillment.created_at),
        "updated_at": rest_time(fulfillment.updated_at),
    }


def product_json(state: ShopState, product: Product) -> dict[str, Any]:
    variants = [state.variants[vid] for vid in product.variant_ids]
    return {
        "id": product.id,
        "admin_graphql_api_id": gid("Product", product.id),
        "title": product.title,
        "handle": product.handle,
        "status": product.status.lower(),
        "vendor": product.vendor,
        "product_type": product.product_type,
        "body_html": product.description_html,
        "tags": ", ".join(product.tags),
        "created_at": rest_time(product.created_at),
        "updated_at": rest_time(product.updated_at),
        "options": [
            {"name": name, "position": index + 1, "values": sorted({v.options[index] for v in variants})}
            for index, name in enumerate(product.option_names)
        ],
        "variants": [
            {
                "id": v.id,
                "admin_graphql_api_id": gid("ProductVariant", v.id),
                "product_id": product.id,
                "title": v.title,
                "sku": v.sku,
                "barcode": v.barcode,
                "price": rest_amount(v.price),
                "compare_at_price": (
                    rest_amount(v.compare_at_price) if v.compare_at_price is not None else None
                ),
                "position": v.position,
                "inventory_item_id": v.inventory_item_id,
                "inventory_quantity": sum(
                    level.available for level in state.levels_of_item(v.inventory_item_id)
                ),
                "inventory_management": (
                    "shopify" if state.inventory_items[v.inventory_item_id].tracked else None
                ),
                "inventory_policy": v.inventory_policy.lower(),
                "taxable": v.taxable,
                **{f"option{i + 1}": value for i, value in enumerate(v.options)},
                "created_at": rest_time(v.created_at),
                "updated_at": rest_time(v.updated_at),
            }
            for v in variants
        ],
    }


def inventory_level_json(level: InventoryLevel) -> dict[str, Any]:
    return {
        "inventory_item_id": level.inventory_item_id,
        "location_id": level.location_id,
        "available": level.available,
        "updated_at": rest_time(level.updated_at),
        "admin_graphql_api_id": (
            f"gid://shopify/InventoryLevel/{level.location_id}?inventory_item_id={level.inventory_item_id}"
        ),
    }
