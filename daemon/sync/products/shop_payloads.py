"""Shop JSON → ``ShopVariant``: Shopify REST webhooks, Shopify GraphQL catalogue pages, WooCommerce.

Pure functions; fetching a variable Woo product's variations is the caller's job.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Sequence

from daemon.sync.products.model import ShopVariant

DEFAULT_VARIANT_TITLE = "Default Title"
GRAMS_PER = {"g": Decimal(1), "kg": Decimal(1000), "lb": Decimal("453.59237"), "oz": Decimal("28.349523125")}
_TAG = re.compile(r"<[^>]+>")

Json = Mapping[str, Any]


def html_to_text(value: str | None) -> str:
    return html.unescape(_TAG.sub("", value or "")).strip()


def text_to_html(value: str | None) -> str:
    return html.escape(value or "", quote=False)


def decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def variant_name(product_title: str, variant_title: str | None, siblings: int) -> str:
    """A lone variant is named after its product; one of several also carries its own title."""
    if siblings <= 1 or not variant_title or variant_title == DEFAULT_VARIANT_TITLE:
        return product_title
    return f"{product_title} - {variant_title}"


# -- Shopify -----------------------------------------------------------------------------------------


def variants_from_shopify_rest(product: Json) -> list[ShopVariant]:
    """A ``products/create`` / ``products/update`` webhook body (REST JSON)."""
    variants = product.get("variants") or []
    return [
        ShopVariant(
            variant_id=str(variant.get("admin_graphql_api_id") or variant["id"]),
            product_id=str(product.get("admin_graphql_api_id") or product["id"]),
            sku=(variant.get("sku") or "").strip(),
            name=variant_name(product.get("title") or "", variant.get("title"), len(variants)),
            description=html_to_text(product.get("body_html")),
            price=decimal_or_none(variant.get("price")),
            barcode=variant.get("barcode") or "",
            weight_kg=_shopify_weight(variant),
            stock=variant.get("inventory_quantity") if variant.get("inventory_management") else None,
            active=(product.get("status") or "active") == "active",
        )
        for variant in variants
    ]


def _shopify_weight(variant: Json) -> Decimal | None:
    grams = decimal_or_none(variant.get("grams"))
    if grams is None:
        weight = decimal_or_none(variant.get("weight"))
        unit = GRAMS_PER.get(variant.get("weight_unit") or "kg")
        grams = weight * unit if weight is not None and unit is not None else None
    return None if grams is None else (grams / 1000).normalize()


def variant_from_shopify_node(node: Json) -> ShopVariant:
    """A ``productVariants`` node of ``documents.CATALOG_PAGE``."""
    product = node["product"]
    siblings = (product.get("variantsCount") or {}).get("count") or 1
    tracked = (node.get("inventoryItem") or {}).get("tracked", True)
    return ShopVariant(
        variant_id=node["id"],
        product_id=product["id"],
        sku=(node.get("sku") or "").strip(),
        name=variant_name(product.get("title") or "", node.get("title"), siblings),
        description=html_to_text(product.get("descriptionHtml")),
        price=decimal_or_none(node.get("price")),
        barcode=node.get("barcode") or "",
        weight_kg=None,  # not in the Admin API version we pin (lives on InventoryItem.measurement)
        stock=node.get("inventoryQuantity") if tracked else None,
        active=product.get("status", "ACTIVE") == "ACTIVE",
    )


# -- WooCommerce -------------------------------------------------------------------------------------


def is_variable(product: Json) -> bool:
    return product.get("type") == "variable"


def variants_from_woo(product: Json, variations: Sequence[Json] = ()) -> list[ShopVariant]:
    """A simple product is one variant; a variable product is its ``variations``; a variation alone
    (a webhook about one) is itself."""
    if is_variable(product):
        return [_woo_variant(v, product) for v in variations]
    return [_woo_variant(product, None)]


def _woo_variant(item: Json, parent: Json | None) -> ShopVariant:
    if parent is not None:
        options = ", ".join(str(a.get("option")) for a in item.get("attributes") or [] if a.get("option"))
        name = f"{parent.get('name')} - {options}" if options else str(parent.get("name") or "")
        product_id = str(parent["id"])
    else:
        name = str(item.get("name") or item.get("sku") or "")
        product_id = str(item.get("parent_id") or item["id"])
    weight = decimal_or_none(item.get("weight")) or (decimal_or_none(parent.get("weight")) if parent else None)
    return ShopVariant(
        variant_id=str(item["id"]),
        product_id=product_id,
        sku=(item.get("sku") or "").strip(),
        name=name,
        description=html_to_text(item.get("description") or (parent or {}).get("description")),
        price=decimal_or_none(item.get("regular_price")) or decimal_or_none(item.get("price")),
        barcode=_woo_barcode(item),
        weight_kg=weight,
        stock=item.get("stock_quantity") if item.get("manage_stock") is True else None,
        active=(item.get("status") or "publish") == "publish",
    )


def _woo_barcode(item: Json) -> str:
    """WooCommerce 9.2+ has ``global_unique_id`` (GTIN/EAN); older sites keep it in meta data."""
    if item.get("global_unique_id"):
        return str(item["global_unique_id"])
    for meta in item.get("meta_data") or []:
        if meta.get("key") in ("_barcode", "barcode", "_ean", "ean") and meta.get("value"):
            return str(meta["value"])
    return ""
