"""Order -> the Rackbeat customer an order belongs to: the shop's default customer or a new one.

Shop-created customers get the shop's defaults (customer group, payment terms) and a VAT zone from
the billing country: the shop's home country is domestic, another EU country eu, anything else
abroad. Orders without an email cannot be matched to a customer later, so they all go to the
shop's configured default customer number instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from daemon.sync.model import Address, Order

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
DOMESTIC, EU, ABROAD = "domestic", "eu", "abroad"


@dataclass(frozen=True)
class CustomerDefaults:
    """The shop's settings for customers it creates in Rackbeat."""

    home_country: str  # ISO code, e.g. "DK"
    customer_group_id: int
    payment_terms_id: int
    default_customer_number: str
    layout_id: int | None = None


def vat_zone(country_code: str | None, home_country: str) -> str:
    """domestic / eu / abroad; an unknown country is treated as domestic, where a shop mostly sells."""
    code = (country_code or home_country).upper()
    if code == home_country.upper():
        return DOMESTIC
    return EU if code in EU_COUNTRIES else ABROAD


def default_customer_number(order: Order, defaults: CustomerDefaults) -> str | None:
    """The shop's default customer number when the order has no email, else None (find or create one)."""
    return None if order.customer.email else defaults.default_customer_number


def customer_payload(order: Order, defaults: CustomerDefaults) -> dict:
    """The ``POST /customers`` JSON for the buyer of an order that has an email."""
    customer = order.customer
    if not customer.email:
        raise ValueError(f"order {order.name} has no email; it goes to default_customer_number()")
    address = order.billing_address or order.shipping_address or Address()
    name = customer.company or customer.name or address.name or customer.email
    payload = {
        "company_name": name,
        "name": name,
        "contact_email": customer.email,
        "contact_phone": customer.phone,
        "currency": order.currency,
        "vat_zone": vat_zone(address.country_code, defaults.home_country),
        "customer_group_id": defaults.customer_group_id,
        "payment_terms_id": defaults.payment_terms_id,
        "layout_id": defaults.layout_id,
        "address_street": address.street,
        "address_street2": address.street2,
        "address_city": address.city,
        "address_zipcode": address.zipcode,
        "address_country": address.country or address.country_code,
    }
    return {key: value for key, value in payload.items() if value is not None}
