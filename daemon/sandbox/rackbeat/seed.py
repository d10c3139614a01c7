"""A deterministic starting catalogue, so tests and benchmarks begin from known data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .state import RackbeatState

SHIPPING_NUMBER = "shipping"
DISCOUNT_NUMBER = "discount"
GOODS_GROUP = 1
SERVICE_GROUP = 2  # no inventory: shipping and discount lines


@dataclass
class RackbeatSeed:
    """Products ``P0001``.. in group 1 with ``stock`` per location; customers 1..n; suppliers 1..n.

    ``locations`` maps number to name; the first one is the default location.
    """

    products: int = 10
    customers: int = 3
    suppliers: int = 2
    locations: dict[int, str] = field(default_factory=lambda: {1: "Main", 2: "3PL"})
    stock: dict[int, int] = field(default_factory=lambda: {1: 100, 2: 20})
    vat_domestic: Decimal = Decimal(25)

    def apply(self, state: RackbeatState) -> None:
        catalog = state.catalog
        for number, name in self.locations.items():
            catalog.add_location(number, name)
        vat = {"vat_domestic": self.vat_domestic, "vat_eu": 0, "vat_abroad": 0}
        catalog.create_group({"number": GOODS_GROUP, "name": "Goods", **vat})
        catalog.create_group({"number": SERVICE_GROUP, "name": "Services", "has_inventory": False, **vat})
        for i in range(1, self.products + 1):
            product = catalog.create_product(
                {
                    "number": f"P{i:04d}",
                    "name": f"Product {i}",
                    "group": GOODS_GROUP,
                    "sales_price": 10 * i + Decimal("0.95"),
                    "cost_price": 5 * i,
                    "barcode": f"57{i:011d}",
                    "physical": {"weight": Decimal("0.5"), "height": 10, "width": 10, "length": 10},
                }
            )
            for location_number, quantity in self.stock.items():
                catalog.change(product, catalog.location(location_number), "seed", stock=Decimal(quantity))
        for number, name in ((SHIPPING_NUMBER, "Shipping"), (DISCOUNT_NUMBER, "Discount")):
            catalog.create_product({"number": number, "name": name, "group": SERVICE_GROUP, "sales_price": 0})
        for i in range(1, self.customers + 1):
            state.customers.create(
                {
                    "company_name": f"Customer {i}",
                    "contact_email": f"customer{i}@example.com",
                    "contact_phone": f"+45 1000 {i:04d}",
                    "vat_zone": "domestic",
                    "address_street": f"Street {i}",
                    "address_city": "Copenhagen",
                    "address_zipcode": "1000",
                    "address_country": "DK",
                }
            )
        for i in range(1, self.suppliers + 1):
            state.suppliers.create({"company_name": f"Supplier {i}", "contact_email": f"supplier{i}@example.com"})
