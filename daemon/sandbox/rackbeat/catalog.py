"""Product groups, locations and products, plus the stock movements that touch products.

Products are keyed by number (max 25 characters, immutable here). Stock lives in the
:class:`StockLedger`; every change that alters a product's quantities bumps its ``updated_at`` and
announces ``inventory.changed`` so pollers and webhook consumers both see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from .events import Event, Publish
from .failures import Problems, not_found, unprocessable
from .money import ZERO
from .payload import Payload, int_or_none
from .stamps import Stamps, iso
from .stock import Quantities, StockLedger

NUMBER_MAX_LENGTH = 25
PHYSICAL_KEYS = ("weight", "height", "width", "length")


@dataclass(eq=False)
class ProductGroup:
    number: int
    name: str
    vat_domestic: Decimal
    vat_eu: Decimal
    vat_abroad: Decimal
    has_inventory: bool
    created_at: datetime
    updated_at: datetime

    def vat_for(self, zone: str | None) -> Decimal:
        return {"eu": self.vat_eu, "abroad": self.vat_abroad}.get(zone or "domestic", self.vat_domestic)

    def ref(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "vat_domestic": self.vat_domestic,
            "vat_eu": self.vat_eu,
            "vat_abroad": self.vat_abroad,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.number,
            "number": self.number,
            "name": self.name,
            "vat_domestic": self.vat_domestic,
            "vat_eu": self.vat_eu,
            "vat_abroad": self.vat_abroad,
            "vat_domestic_exempt": self.vat_domestic == 0,
            "has_inventory": self.has_inventory,
            "is_sellable": True,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


@dataclass(eq=False)
class Location:
    number: int
    name: str
    is_default: bool
    created_at: datetime

    def ref(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.number,
            "number": self.number,
            "name": self.name,
            "barcode": None,
            "is_default": self.is_default,
            "parent_id": None,
            "children_count": 0,
            "nesting_level": 0,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.created_at),
        }


@dataclass(eq=False)
class Product:
    id: int
    number: str
    name: str
    group: ProductGroup
    sales_price: Decimal
    default_location: Location
    created_at: datetime
    updated_at: datetime
    cost_price: Decimal = ZERO
    description: str | None = None
    barcode: str | None = None
    is_barred: bool = False
    default_supplier_id: int | None = None
    image_url: str | None = None
    physical: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(PHYSICAL_KEYS))

    @property
    def urlfriendly_number(self) -> str:
        return re.sub(r"[^A-Za-z0-9._~-]", "-", self.number)


class Catalog:
    """Groups, locations and products with Rackbeat's validation rules."""

    def __init__(self, stamps: Stamps, publish: Publish) -> None:
        self.stamps = stamps
        self.publish = publish
        self.ledger = StockLedger()
        self.groups: dict[int, ProductGroup] = {}
        self.locations: dict[int, Location] = {}
        self.products: dict[str, Product] = {}
        self._next_product_id = 1

    # -- groups and locations -------------------------------------------------------------------

    def create_group(self, body: dict[str, Any]) -> ProductGroup:
        problems = Problems()
        data = Payload(body, problems)
        number = data.integer("number", required=True)
        name = data.text("name", required=True)
        vat = {
            key: data.decimal(key, minimum=ZERO, maximum=Decimal(100))
            for key in ("vat_domestic", "vat_eu", "vat_abroad")
        }
        has_inventory = data.boolean("has_inventory")
        if number is not None and number in self.groups:
            problems.add("number", "The number has already been taken.")
        problems.raise_if_any()
        now = self.stamps.next()
        group = ProductGroup(
            number=number,
            name=name,
            vat_domestic=vat["vat_domestic"] if vat["vat_domestic"] is not None else Decimal(25),
            vat_eu=vat["vat_eu"] or ZERO,
            vat_abroad=vat["vat_abroad"] or ZERO,
            has_inventory=True if has_inventory is None else has_inventory,
            created_at=now,
            updated_at=now,
        )
        self.groups[group.number] = group
        return group

    def add_location(self, number: int, name: str, *, is_default: bool = False) -> Location:
        if is_default:
            for other in self.locations.values():
                other.is_default = False
        location = Location(number, name, is_default or not self.locations, self.stamps.next())
        self.locations[number] = location
        return location

    @property
    def default_location(self) -> Location:
        return next(loc for loc in self.locations.values() if loc.is_default)

    def group(self, key: str | int) -> ProductGroup:
        group = self.groups.get(int_or_none(key))
        if group is None:
            raise not_found("Product group")
        return group

    def location(self, key: str | int) -> Location:
        location = self.locations.get(int_or_none(key))
        if location is None:
            raise not_found("Location")
        return location

    # -- products -------------------------------------------------------------------------------

    def find_product(self, key: str) -> Product:
        """Look up by number as given, once more URL-decoded (double encoding), or urlfriendly_number."""
        for candidate in (key, unquote(key)):
            if candidate in self.products:
                return self.products[candidate]
        for product in self.products.values():
            if product.urlfriendly_number == key:
                return product
        raise not_found("Product")

    def create_product(self, body: dict[str, Any]) -> Product:
        problems = Problems()
        data = Payload(body, problems)
        number = data.text("number", required=True, max_length=NUMBER_MAX_LENGTH)
        if number is not None and number in self.products:
            problems.add("number", "The number has already been taken.")
        name = data.text("name", required=True)
        sales_price = data.decimal("sales_price", required=True, places=4)
        group = self._group_from(data)
        if not any(data.has(key) for key in ("group", "group_id")):
            problems.add("group", "The group field is required.")
        stock = data.decimal("stock_quantity")
        problems.raise_if_any()
        now = self.stamps.next()
        product = Product(
            id=self._next_product_id,
            number=number,
            name=name,
            group=group,
            sales_price=sales_price,
            default_location=self.default_location,
            created_at=now,
            updated_at=now,
        )
        self._apply(product, data)
        problems.raise_if_any()
        self._next_product_id += 1
        self.products[product.number] = product
        self.publish(Event("product.created", product.number, "number", {"number": product.number}))
        if stock:
            self.change(product, product.default_location, "initial stock", stock=stock)
        return product

    def update_product(self, product: Product, body: dict[str, Any]) -> Product:
        problems = Problems()
        data = Payload(body, problems)
        if data.has("number") and data.text("number") != product.number:
            problems.add("number", "The number cannot be changed.")  # [inferred] keys are immutable here
        # stock_quantity and other computed fields are ignored [inferred]: stock moves only through
        # adjustments, shipments and receipts, and clients often PUT back what they read.
        before = self.product_dict(product)
        draft = replace(product, physical=dict(product.physical))
        self._apply(draft, data)
        problems.raise_if_any()
        product.__dict__.update(draft.__dict__)
        after = self.product_dict(product)
        changed = [key for key in after if key != "updated_at" and after[key] != before[key]]
        self.touch(product)
        data = {"number": product.number, "changed": changed}
        self.publish(Event("product.updated", product.number, "number", data))
        return product

    def delete_product(self, product: Product) -> None:
        if self.ledger.is_committed(product.number):
            raise unprocessable("number", f"Product '{product.number}' is used in lines and cannot be deleted.")
        del self.products[product.number]
        self.ledger.forget(product.number)
        self.publish(Event("product.deleted", product.number, "number", {"number": product.number}))

    def _apply(self, product: Product, data: Payload) -> None:
        """Copy writable fields present in ``data`` onto ``product`` (validation problems collected)."""
        for key in ("name", "description", "barcode", "image_url"):
            if data.has(key):
                setattr(product, key, data.text(key, required=key == "name"))
        for key in ("sales_price", "cost_price"):
            if data.has(key):
                value = data.decimal(key, required=key == "sales_price", places=4)
                if value is not None:
                    setattr(product, key, value)
        if data.has("is_barred"):
            product.is_barred = bool(data.boolean("is_barred"))
        if data.has("default_supplier_id"):
            product.default_supplier_id = data.integer("default_supplier_id")
        group = self._group_from(data)
        if group is not None:
            product.group = group
        if data.has("default_location_id"):
            location = self.locations.get(int_or_none(data.data["default_location_id"]))
            if location is None:
                data.problems.add("default_location_id", "The selected default location id is invalid.")
            else:
                product.default_location = location
        physical = data.nested("physical")
        for key in PHYSICAL_KEYS:
            flat = f"physical_{key}"
            if physical.has(key):
                product.physical[key] = physical.decimal(key, minimum=ZERO)
            elif data.has(flat):
                product.physical[key] = data.decimal(flat, minimum=ZERO)

    def _group_from(self, data: Payload) -> ProductGroup | None:
        """The group named by ``group`` (number or ``{"number"}``) or ``group_id``, if any."""
        key = "group" if data.has("group") else "group_id"
        if not data.has(key):
            return None
        raw = data.data[key]
        group = self.groups.get(int_or_none(raw.get("number") if isinstance(raw, dict) else raw))
        if group is None:
            data.problems.add(key, "The selected group is invalid.")
        return group

    def touch(self, product: Product) -> None:
        product.updated_at = self.stamps.next()

    # -- stock ----------------------------------------------------------------------------------

    def stocked(self, product: Product) -> bool:
        return product.group.has_inventory

    def change(
        self,
        product: Product,
        location: Location,
        reason: str,
        *,
        stock: Decimal = ZERO,
        reserved: Decimal = ZERO,
        incoming: Decimal = ZERO,
    ) -> None:
        """Book one movement: goods on hand (+ in, - out), reserved by booked sales orders,
        expected on booked purchase orders. Unstocked products (no-inventory groups) are ignored."""
        if not self.stocked(product) or not (stock or reserved or incoming):
            return
        slot = (product.number, location.number)
        self.ledger.on_hand[slot] += stock
        self.ledger.reserved[slot] += reserved
        self.ledger.incoming[slot] += incoming
        self.touch(product)
        self.publish(
            Event(
                "inventory.changed",
                product.number,
                "number",
                {"number": product.number, "location_number": location.number, "reason": reason},
            )
        )

    def quantities(self, product: Product, location: Location | None = None) -> Quantities:
        if location is not None:
            return self.ledger.at(product.number, location.number)
        return self.ledger.total(product.number, list(self.locations))

    # -- views ----------------------------------------------------------------------------------

    def product_dict(self, product: Product) -> dict[str, Any]:
        qty = self.quantities(product)
        group = product.group
        return {
            "id": product.id,
            "number": product.number,
            "urlfriendly_number": product.urlfriendly_number,
            "type": "product",
            "name": product.name,
            "description": product.description,
            "barcode": product.barcode,
            "sales_price": product.sales_price,
            "cost_price": product.cost_price,
            "is_barred": product.is_barred,
            "inventory_enabled": group.has_inventory,
            "group_id": group.number,
            "group": group.ref(),
            "stock_quantity": qty.stock,
            "in_order_quantity": qty.reserved,
            "available_quantity": qty.available,
            "purchased_quantity": qty.incoming,
            "physical": dict(product.physical),
            "default_supplier_id": product.default_supplier_id,
            "default_location_id": product.default_location.number,
            "default_location": product.default_location.ref(),
            "image_url": product.image_url,
            "picture_url": product.image_url,
            "created_at": iso(product.created_at),
            "updated_at": iso(product.updated_at),
        }

    def product_locations(self, product: Product) -> list[dict[str, Any]]:
        """Entries of ``GET /products/{n}/locations`` [inferred inner names, pinned in tests]."""
        entries = []
        for location in self.locations.values():
            qty = self.quantities(product, location)
            entries.append(
                {
                    "location": location.ref(),
                    "location_id": location.number,
                    "stock_quantity": qty.stock,
                    "in_order_quantity": qty.reserved,
                    "available_quantity": qty.available,
                    "purchased_quantity": qty.incoming,
                }
            )
        return entries

