"""Products and variants: the seed catalog, ``productSet`` (lists replaced) and ``productVariantsBulkUpdate``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .ids import now_utc, parse_gid
from .inventory import set_level
from .lifecycle import product_changed
from .money import ZERO
from .spec import ShopifySeed
from .store import InventoryItem, InventoryLevel, Location, Product, ShopState, Variant

SIZES = ("S", "M", "L", "XL", "XXL")


class CatalogError(Exception):
    def __init__(self, message: str, code: str, *field: str) -> None:
        super().__init__(message)
        self.error = {"field": list(field), "message": message, "code": code}


def handleize(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"


def add_variant(
    state: ShopState, product: Product, options: list[str], sku: str | None, price: Decimal
) -> Variant:
    """A new variant with its inventory item, stocked (at 0) at every location."""
    item = InventoryItem(id=state.next_id(), variant_id=0)
    variant = Variant(
        state.next_id(), product.id, item.id, sku, price, options, position=len(product.variant_ids) + 1
    )
    item.variant_id = variant.id
    state.inventory_items[item.id] = item
    state.variants[variant.id] = variant
    product.variant_ids.append(variant.id)
    for location_id in state.locations:
        state.levels[(item.id, location_id)] = InventoryLevel(item.id, location_id)
    return variant


def remove_variant(state: ShopState, variant: Variant) -> None:
    state.products[variant.product_id].variant_ids.remove(variant.id)
    del state.variants[variant.id]
    del state.inventory_items[variant.inventory_item_id]
    for key in [key for key in state.levels if key[0] == variant.inventory_item_id]:
        del state.levels[key]


def apply_seed(state: ShopState, seed: ShopifySeed) -> None:
    for name in seed.locations:
        location = Location(state.next_id(), name)
        state.locations[location.id] = location
    per_product = max(1, seed.variants_per_product)
    skus = seed.skus or [f"SKU-{n:04d}" for n in range(1, seed.product_count * per_product + 1)]
    for product_index, start in enumerate(range(0, len(skus), per_product)):
        title = f"Product {product_index + 1}"
        product = Product(state.next_id(), title, handleize(title), ["Size"], vendor="Sandbox")
        state.products[product.id] = product
        for variant_index, sku in enumerate(skus[start : start + per_product]):
            size = SIZES[variant_index] if variant_index < len(SIZES) else f"Size {variant_index + 1}"
            variant = add_variant(
                state, product, [size], sku, seed.base_price + 10 * product_index + variant_index
            )
            for location_id in state.locations:
                state.levels[(variant.inventory_item_id, location_id)].on_hand = seed.available


def _option_values(
    option_names: list[str], raw: list[dict[str, Any]] | None, where: tuple[str, ...], code: str
) -> list[str]:
    """The variant's option values in the product's option order; each mutation has its own error code."""
    values = {value.get("optionName"): value.get("name") for value in raw or []}
    if set(values) != set(option_names) or any(v is None for v in values.values()):
        raise CatalogError("Variant option values must name a value for every product option.", code, *where)
    return [values[name] for name in option_names]


def _check_price(raw: dict[str, Any], where: tuple[str, ...], code: str) -> None:
    """Negative prices are refused; productSet reports it as INVALID_VARIANT [I], the bulk update with
    its own NEGATIVE_PRICE_VALUE code."""
    if raw.get("price") is not None and Decimal(str(raw["price"])) < 0:
        raise CatalogError("Price must be greater than or equal to 0.", code, *where, "price")


def _apply_variant_fields(state: ShopState, variant: Variant, raw: dict[str, Any]) -> None:
    """Copy the given fields onto a variant (and its inventory item); inputs are validated beforehand."""
    if raw.get("price") is not None:
        variant.price = Decimal(str(raw["price"]))
    if "compareAtPrice" in raw:
        variant.compare_at_price = (
            Decimal(str(raw["compareAtPrice"])) if raw["compareAtPrice"] is not None else None
        )
    for key, attribute in (
        ("barcode", "barcode"),
        ("taxable", "taxable"),
        ("inventoryPolicy", "inventory_policy"),
    ):
        if key in raw and raw[key] is not None:
            setattr(variant, attribute, raw[key])
    if "sku" in raw:
        variant.sku = raw["sku"]
    item_input = raw.get("inventoryItem") or {}
    item = state.inventory_items[variant.inventory_item_id]
    if "sku" in item_input:
        variant.sku = item_input["sku"]
    for key, attribute in (
        ("tracked", "tracked"),
        ("requiresShipping", "requires_shipping"),
        ("cost", "cost"),
    ):
        if key in item_input:
            setattr(item, attribute, item_input[key])
    variant.updated_at = item.updated_at = now_utc()


PRODUCT_FIELDS = (
    ("title", "title"),
    ("handle", "handle"),
    ("descriptionHtml", "description_html"),
    ("vendor", "vendor"),
    ("productType", "product_type"),
    ("status", "status"),
    ("tags", "tags"),
)
VariantPlan = list[tuple[Variant | None, list[str], dict[str, Any]]]


def product_set(state: ShopState, fields: dict[str, Any], identifier: dict[str, Any] | None) -> Product:
    """Create or update a whole product; variants left out of the input are deleted.

    Everything is validated before anything changes, so a userError leaves the shop untouched.
    """
    product = _find_product(state, fields, identifier or {})
    if product is None and not fields.get("title"):
        raise CatalogError("Title can't be blank", "BLANK", "input", "title")
    option_names = _option_names(product, fields)
    plan = (
        _plan_variants(state, product, option_names, fields["variants"])
        if fields.get("variants") is not None
        else None
    )
    created = product is None
    if product is None:
        product = Product(
            state.next_id(), fields["title"], fields.get("handle") or handleize(fields["title"]), []
        )
        state.products[product.id] = product
    for key, attribute in PRODUCT_FIELDS:
        if fields.get(key) is not None:
            setattr(product, attribute, fields[key])
    product.option_names = option_names
    if plan is not None:
        _apply_variant_plan(state, product, plan)
    product_changed(state, product, "products/create" if created else "products/update")
    return product


def _option_names(product: Product | None, fields: dict[str, Any]) -> list[str]:
    """Given ``productOptions`` win; else keep the product's; a new product without them takes the
    option names its first variant uses ([I] Shopify is stricter about declaring options)."""
    if fields.get("productOptions") is not None:
        return [option["name"] for option in fields["productOptions"]]
    if product is not None:
        return product.option_names
    first = (fields.get("variants") or [{}])[0].get("optionValues") or []
    return [value.get("optionName") for value in first]


def _find_product(state: ShopState, fields: dict[str, Any], identifier: dict[str, Any]) -> Product | None:
    product_gid = identifier.get("id") or fields.get("id")
    if product_gid:
        product = state.products.get(parse_gid(product_gid, "Product"))
        if product is None:
            raise CatalogError("Product does not exist", "PRODUCT_DOES_NOT_EXIST", "input", "id")
        return product
    handle = identifier.get("handle")
    return next((p for p in state.products.values() if handle and p.handle == handle), None)


def _plan_variants(
    state: ShopState, product: Product | None, option_names: list[str], inputs: list[dict[str, Any]]
) -> VariantPlan:
    """Match inputs to variants by id, else by option values; unmatched inputs become new variants."""
    variant_ids = product.variant_ids if product else []
    existing = {tuple(state.variants[vid].options): state.variants[vid] for vid in variant_ids}
    plan: VariantPlan = []
    for index, raw in enumerate(inputs):
        where = ("input", "variants", str(index))
        options = _option_values(
            option_names, raw.get("optionValues"), (*where, "optionValues"), "INVALID_VARIANT"
        )
        _check_price(raw, where, "INVALID_VARIANT")
        if raw.get("id"):
            variant = state.variants.get(parse_gid(raw["id"], "ProductVariant"))
            if variant is None or product is None or variant.product_id != product.id:
                raise CatalogError(
                    "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST", *where, "id"
                )
        else:
            variant = existing.get(tuple(options))
        plan.append((variant, options, raw))
    if len({tuple(options) for _, options, _ in plan}) < len(plan):
        raise CatalogError(
            "Variant option values must be unique.", "DUPLICATE_OPTION_VALUE", "input", "variants"
        )
    return plan


def _apply_variant_plan(state: ShopState, product: Product, plan: VariantPlan) -> None:
    kept = {variant.id for variant, _, _ in plan if variant}
    for variant_id in [vid for vid in product.variant_ids if vid not in kept]:
        remove_variant(state, state.variants[variant_id])
    for position, (variant, options, raw) in enumerate(plan, start=1):
        if variant is None:
            variant = add_variant(state, product, options, None, ZERO)
            for quantity in raw.get("inventoryQuantities") or []:
                level = state.level(variant.inventory_item_id, parse_gid(quantity["locationId"], "Location"))
                if level is not None:
                    set_level(state, level, quantity["name"], quantity["quantity"])
        variant.options = options
        variant.position = position
        _apply_variant_fields(state, variant, raw)
    product.variant_ids.sort(key=lambda vid: state.variants[vid].position)


def variants_bulk_update(
    state: ShopState, product_gid: str, inputs: list[dict[str, Any]], allow_partial: bool
) -> tuple[Product | None, list[Variant] | None, list[dict[str, Any]]]:
    """Update variants of one product; without ``allowPartialUpdates`` one bad input blocks them all."""
    product = state.products.get(parse_gid(product_gid, "Product"))
    if product is None:
        return (
            None,
            None,
            [CatalogError("Product does not exist", "PRODUCT_DOES_NOT_EXIST", "productId").error],
        )
    valid, errors = [], []
    for index, raw in enumerate(inputs):
        try:
            valid.append(_bulk_target(state, product, raw, ("variants", str(index))))
        except CatalogError as exc:
            errors.append(exc.error)
    if errors and not allow_partial:
        return product, None, errors
    for variant, options, raw in valid:
        variant.options = options
        _apply_variant_fields(state, variant, raw)
    if valid:
        product_changed(state, product, "products/update")
    return product, [variant for variant, _, _ in valid], errors


def _bulk_target(
    state: ShopState, product: Product, raw: dict[str, Any], where: tuple[str, ...]
) -> tuple[Variant, list[str], dict[str, Any]]:
    if not raw.get("id"):
        raise CatalogError(
            "Product variant is missing ID attribute", "PRODUCT_VARIANT_ID_MISSING", *where, "id"
        )
    variant = state.variants.get(parse_gid(raw["id"], "ProductVariant"))
    if variant is None or variant.product_id != product.id:
        raise CatalogError("Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST", *where, "id")
    _check_price(raw, where, "NEGATIVE_PRICE_VALUE")
    options = variant.options
    if raw.get("optionValues") is not None:
        options = _option_values(
            product.option_names, raw["optionValues"], (*where, "optionValues"), "INVALID_INPUT"
        )
    return variant, options, raw
