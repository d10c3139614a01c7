"""Pure field mapping both ways: a shop variant → Rackbeat product bodies; a Rackbeat product → the
inputs that make a Shopify or WooCommerce variant show it. No I/O here.

Money goes out as Rackbeat numbers (excl. VAT) and shop strings (in the shop's terms, see ``Pricing``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from daemon.sync.products.model import Pricing, ShopFields, ShopVariant
from daemon.sync.products.shop_payloads import decimal_or_none, html_to_text, text_to_html

Json = Mapping[str, Any]
WOO_BARCODE_META = "_barcode"
SHOPIFY_OPTION, SHOPIFY_VALUE = "Title", "Default Title"


# -- shop → Rackbeat -------------------------------------------------------------------------------


def rackbeat_create_body(variant: ShopVariant, pricing: Pricing, group: int) -> dict[str, Any]:
    """A new Rackbeat product for one shop variant, in the shop's configured product group."""
    body: dict[str, Any] = {
        "number": variant.sku,
        "name": variant.name or variant.sku,
        "group": group,
        "sales_price": _number(pricing.rackbeat_price(variant.price or Decimal(0))),
    }
    if variant.description:
        body["description"] = variant.description
    if variant.barcode:
        body["barcode"] = variant.barcode
    if variant.weight_kg is not None:
        body["physical"] = {"weight": _number(variant.weight_kg)}
    return body


def rackbeat_changes(current: Json, variant: ShopVariant, pricing: Pricing) -> dict[str, Any]:
    """The fields of Rackbeat product ``current`` that differ from what the shop variant says."""
    changes: dict[str, Any] = {}
    if variant.name and variant.name != current.get("name"):
        changes["name"] = variant.name
    if variant.description != html_to_text(current.get("description")):
        changes["description"] = variant.description
    if variant.barcode != (current.get("barcode") or ""):
        changes["barcode"] = variant.barcode
    if variant.price is not None:
        price = pricing.rackbeat_price(variant.price)
        if price != decimal_or_none(current.get("sales_price")):
            changes["sales_price"] = _number(price)
    if variant.weight_kg is not None:
        weight = decimal_or_none((current.get("physical") or {}).get("weight"))
        if weight is None or weight != variant.weight_kg:
            changes["physical"] = {"weight": _number(variant.weight_kg)}
    return changes


def _number(value: Decimal) -> float | int:
    """JSON has no decimals; 2-decimal money and gram-precision weights survive a float."""
    return int(value) if value == value.to_integral_value() else float(value)


# -- Rackbeat → shop -------------------------------------------------------------------------------


def shop_fields(product: Json, pricing: Pricing) -> ShopFields:
    return ShopFields(
        sku=str(product["number"]),
        name=str(product.get("name") or product["number"]),
        description=product.get("description") or "",
        price=pricing.shop_price(decimal_or_none(product.get("sales_price")) or Decimal(0)),
        barcode=product.get("barcode") or "",
        product_type=str((product.get("group") or {}).get("name") or ""),
        active=not product.get("is_barred"),
    )


def shopify_status(active: bool) -> str:
    return "ACTIVE" if active else "DRAFT"


def shopify_create_input(fields: ShopFields) -> dict[str, Any]:
    """A new single-variant product (``productSet``); Shopify needs one option even for a lone variant."""
    return {
        **shopify_product_input(fields),
        "productOptions": [{"name": SHOPIFY_OPTION, "values": [{"name": SHOPIFY_VALUE}]}],
        "variants": [
            {
                "optionValues": [{"optionName": SHOPIFY_OPTION, "name": SHOPIFY_VALUE}],
                "price": money(fields.price),
                "barcode": fields.barcode,
                "inventoryItem": {"sku": fields.sku, "tracked": True},
            }
        ],
    }


def shopify_product_input(fields: ShopFields) -> dict[str, Any]:
    """Product-level fields; without ``variants`` productSet leaves the variants alone."""
    return {
        "title": fields.name,
        "descriptionHtml": text_to_html(fields.description),
        "productType": fields.product_type,
        "status": shopify_status(fields.active),
    }


def shopify_variant_input(variant_id: str, fields: ShopFields) -> dict[str, Any]:
    return {"id": variant_id, "price": money(fields.price), "barcode": fields.barcode}


def woo_product_body(fields: ShopFields) -> dict[str, Any]:
    """Create or update a simple product (the SKU is only sent on create)."""
    return {
        "name": fields.name,
        "regular_price": money(fields.price),
        "description": text_to_html(fields.description),
        "status": "publish" if fields.active else "draft",
        "meta_data": [{"key": WOO_BARCODE_META, "value": fields.barcode}],
    }


def woo_create_body(fields: ShopFields) -> dict[str, Any]:
    return {**woo_product_body(fields), "type": "simple", "sku": fields.sku, "manage_stock": True}


def woo_variation_body(variation_id: int | str, fields: ShopFields) -> dict[str, Any]:
    """A variation's own fields; WooCommerce disables a variation with ``private`` (it has no draft)."""
    return {
        "id": int(variation_id),
        "regular_price": money(fields.price),
        "description": text_to_html(fields.description),
        "status": "publish" if fields.active else "private",
        "meta_data": [{"key": WOO_BARCODE_META, "value": fields.barcode}],
    }


def money(value: Decimal) -> str:
    return f"{value:.2f}"


# -- what the echo guard compares -------------------------------------------------------------------


def shop_view(item: ShopVariant | ShopFields) -> dict[str, Any]:
    """The fields the product flow writes to a shop, as the shop shows them."""
    price = item.price
    return {
        "sku": item.sku,
        "name": item.name,
        "description": item.description,
        "price": money(price) if price is not None else None,
        "barcode": item.barcode,
        "active": item.active,
    }


def rackbeat_view(number: str, product: Json | None) -> dict[str, Any]:
    """The Rackbeat fields a shop is updated from (``None``: the product was deleted)."""
    if product is None:
        return {"number": number, "deleted": True}
    return {
        "number": number,
        "name": product.get("name"),
        "description": product.get("description") or "",
        "sales_price": str(decimal_or_none(product.get("sales_price"))),
        "barcode": product.get("barcode") or "",
        "group": (product.get("group") or {}).get("name"),
        "barred": bool(product.get("is_barred")),
    }
