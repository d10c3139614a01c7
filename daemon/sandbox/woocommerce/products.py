"""Product and variation writes with WooCommerce's rules: unique SKUs, stock only when managed, trash."""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import now_utc
from .models import PRODUCT_STATUSES, PRODUCT_TYPES, Product
from .spec import WooSeed
from .store import UNCATEGORIZED, SiteStore
from .wire import RestError, invalid_params

STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
BACKORDERS = ("no", "notify", "yes")
_STRING_FIELDS = ("name", "sku", "regular_price", "sale_price", "description", "short_description", "weight")


def invalid_id(kind: str, status: int) -> RestError:
    """Reads answer 404; ``update_item`` answers the same error with 400."""
    return RestError(f"woocommerce_rest_{kind}_invalid_id", "Invalid ID.", status)


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "product"


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()) is not None


def _validate(body: dict[str, Any], *, variation: bool) -> None:
    """The parts of the REST schema a sync client can trip over (e.g. prices must be JSON strings)."""
    errors: dict[str, str] = {}
    for name in _STRING_FIELDS:
        if name in body and not isinstance(body[name], str):
            errors[name] = f"{name} is not of type string."
    for name in ("regular_price", "sale_price"):
        if isinstance(body.get(name), str) and body[name] != "":
            try:
                Decimal(body[name])
            except InvalidOperation:
                errors[name] = f"{name} is not a valid number."
    for name in ("stock_quantity", "inventory_delta"):
        if body.get(name) is not None and not _is_integer(body[name]):
            errors[name] = f"{name} is not of type integer."
    if "manage_stock" in body and not isinstance(body["manage_stock"], bool) and body["manage_stock"] != "parent":
        errors["manage_stock"] = "manage_stock is not of type boolean."
    enums = {"status": PRODUCT_STATUSES, "stock_status": STOCK_STATUSES, "backorders": BACKORDERS}
    if not variation:
        enums["type"] = PRODUCT_TYPES
    for name, allowed in enums.items():
        if name in body and body[name] not in allowed:
            errors[name] = f"{name} is not one of {', '.join(allowed)}."
    if errors:
        raise invalid_params(errors)


class ProductService:
    """All writes to products and variations of one site go through here so events and rules stay in one place."""

    def __init__(self, store: SiteStore) -> None:
        self.store = store

    # ---- reads -------------------------------------------------------------------------------

    def get(self, product_id: int, status: int = 404) -> Product:
        product = self.store.products.get(product_id)
        if product is None:
            raise invalid_id("product", status)
        return product

    def get_variation(self, parent_id: int, variation_id: int, status: int = 404) -> Product:
        parent = self.get(parent_id)
        variation = self.store.products.get(variation_id)
        if variation is None or variation.parent_id != parent.id:
            raise invalid_id("product_variation", status)
        return variation

    def parent_of(self, product: Product) -> Product | None:
        return self.store.products.get(product.parent_id) if product.type == "variation" else None

    def stock_owner(self, product: Product) -> Product | None:
        """``get_stock_managed_by_id``: the variation itself, its managing parent, or nobody."""
        if product.manage_stock:
            return product
        parent = self.parent_of(product)
        return parent if parent is not None and parent.manage_stock else None

    # ---- writes ------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], parent: Product | None = None) -> Product:
        _validate(body, variation=parent is not None)
        now = now_utc()
        product = Product(
            id=0,
            type="variation" if parent else body.get("type", "simple"),
            name=body.get("name", parent.name if parent else ""),
            date_created=now,
            date_modified=now,
            parent_id=parent.id if parent else 0,
            category_ids=[] if parent else [UNCATEGORIZED["id"]],
        )
        self._apply(product, body)
        product.id = self.store.next_post_id()
        product.slug = self._unique_slug(product)
        self.store.products[product.id] = product
        if parent is not None:
            parent.variation_ids.append(product.id)
            self._sync_parent(parent)
        self.store.emit("product", "created", product.id)
        return product

    def update(self, product: Product, body: dict[str, Any]) -> Product:
        _validate(body, variation=product.type == "variation")
        candidate = copy.deepcopy(product)
        self._apply(candidate, body)
        candidate.date_modified = now_utc()
        self.store.products[product.id] = candidate
        parent = self.parent_of(candidate)
        if parent is not None:
            self._sync_parent(parent)
        self.store.emit("product", "updated", candidate.id)
        return candidate

    def delete(self, product: Product, force: bool) -> Product:
        """Trash (``force`` false) or delete for good; a variable product takes its variations with it."""
        kind = "product_variation" if product.type == "variation" else "product"
        if not force:
            if product.status == "trash":
                raise RestError(
                    "woocommerce_rest_already_trashed", f"The {kind.replace('_', ' ')} has already been deleted.", 410
                )
            product.status = "trash"
            product.date_modified = now_utc()
        else:
            del self.store.products[product.id]
            for child_id in product.variation_ids:
                self.store.products.pop(child_id, None)
            parent = self.parent_of(product)
            if parent is not None:
                parent.variation_ids.remove(product.id)
                self._sync_parent(parent)
        self.store.emit("product", "deleted", product.id)
        return product

    def change_stock(self, product: Product, delta: int) -> tuple[int, int]:
        """``wc_update_product_stock``: saves the product, so ``product.updated`` fires for it."""
        before = product.stock_quantity or 0
        product.stock_quantity = before + delta
        product.stock_status = self._derived_stock_status(product)
        product.date_modified = now_utc()
        parent = self.parent_of(product)
        if parent is not None:
            self._sync_parent(parent)
        self.store.emit("product", "updated", product.id)
        return before, product.stock_quantity

    def seed(self, seed: WooSeed) -> None:
        def body(sku: str, name: str) -> dict[str, Any]:
            return {
                "name": name,
                "sku": sku,
                "regular_price": seed.prices.get(sku, seed.regular_price),
                "manage_stock": True,
                "stock_quantity": seed.stock_quantity,
            }

        for sku in seed.simple_skus:
            self.create(body(sku, f"Product {sku}"))
        for parent_sku, variation_skus in seed.variable.items():
            parent = self.create(
                {
                    "name": f"Product {parent_sku}",
                    "sku": parent_sku,
                    "type": "variable",
                    "attributes": [
                        {"id": 0, "name": "Variant", "position": 0, "visible": True, "variation": True,
                         "options": list(variation_skus)}
                    ],
                }
            )
            for sku in variation_skus:
                variation = body(sku, f"{parent.name} - {sku}")
                variation["attributes"] = [{"id": 0, "name": "Variant", "option": sku}]
                self.create(variation, parent)

    # ---- rules -------------------------------------------------------------------------------

    def _apply(self, product: Product, body: dict[str, Any]) -> None:
        if "sku" in body:
            self._check_sku(product, body["sku"].strip())
            product.sku = body["sku"].strip()
        for name in ("name", "regular_price", "sale_price", "description", "short_description", "weight",
                     "status", "backorders", "stock_status"):
            if name in body:
                setattr(product, name, body[name])
        if "categories" in body and product.type != "variation":
            ids = [int(c["id"]) for c in body["categories"] if isinstance(c, dict) and "id" in c]
            product.category_ids = [cid for cid in ids if cid in self.store.categories]  # [I] unknown ids dropped
        if "attributes" in body:
            product.attributes = list(body["attributes"])
        if "meta_data" in body:
            self._apply_meta(product, body["meta_data"])
        if "manage_stock" in body:
            product.manage_stock = body["manage_stock"] is True
        if product.manage_stock:
            if body.get("stock_quantity") is not None:
                product.stock_quantity = int(float(body["stock_quantity"]))
            elif body.get("inventory_delta") is not None:
                # Read-modify-write in PHP: not atomic, so not idempotent for a retrying client.
                product.stock_quantity = (product.stock_quantity or 0) + int(float(body["inventory_delta"]))
            elif product.stock_quantity is None:
                product.stock_quantity = 0
        else:
            # validate_props: unmanaged stock has no quantity and cannot backorder.
            product.stock_quantity = None
            product.backorders = "no"
        if product.manage_stock:
            product.stock_status = self._derived_stock_status(product)

    @staticmethod
    def _apply_meta(product: Product, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            existing = next((m for m in product.meta_data if m["key"] == entry.get("key")), None)
            if existing is not None:
                existing["value"] = entry.get("value")
            else:
                product.meta_data.append({"id": len(product.meta_data) + 1, "key": entry.get("key"),
                                          "value": entry.get("value")})

    def _check_sku(self, product: Product, sku: str) -> None:
        if not sku:
            return
        owner = self.store.sku_owner(sku, exclude_id=product.id)
        if owner is None:
            return
        suffix = 1
        while self.store.sku_owner(f"{sku}-{suffix}", exclude_id=product.id) is not None:
            suffix += 1
        raise RestError(
            "product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=owner.id, unique_sku=f"{sku}-{suffix}"
        )

    @staticmethod
    def _derived_stock_status(product: Product) -> str:
        if (product.stock_quantity or 0) > 0:
            return "instock"
        return "outofstock" if product.backorders == "no" else "onbackorder"

    def _sync_parent(self, parent: Product) -> None:
        """``WC_Product_Variable::sync_stock_status``: a variable product is in stock if any variation is."""
        if parent.manage_stock:
            parent.stock_status = self._derived_stock_status(parent)
            return
        statuses = {self.store.products[vid].stock_status for vid in parent.variation_ids if vid in self.store.products}
        for status in ("instock", "onbackorder"):
            if status in statuses:
                parent.stock_status = status
                return
        parent.stock_status = "outofstock"

    def _unique_slug(self, product: Product) -> str:
        base = _slugify(product.name)
        taken = {p.slug for p in self.store.products.values()}
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug
