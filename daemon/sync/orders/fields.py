"""Field-level helpers for the shop mappers: shops send blanks, nulls, split names and odd dates."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from daemon.sync.model import Address, Customer


def first_text(*values: Any) -> str | None:
    """The first non-blank value as a stripped string, or None."""
    for value in values:
        text = "" if value is None else str(value).strip()
        if text:
            return text
    return None


def joined_name(first: Any, last: Any) -> str | None:
    """"Ada" + "Lovelace" -> "Ada Lovelace"; None when both are blank."""
    return first_text(" ".join(part for part in (first_text(first), first_text(last)) if part))


def aware_datetime(value: str) -> datetime:
    """ISO-8601 with an offset or "Z" -> aware datetime; a zone-less value is taken as UTC."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def address_from(raw: Mapping[str, Any] | None, keys: Mapping[str, tuple[str, ...]]) -> Address | None:
    """Build an Address from a shop address object.

    ``keys`` maps each Address part (plus ``first``/``last`` for split names) to the shop's field
    names, first match wins; parts a shop lacks are simply not listed.
    """
    if not raw:
        return None

    def pick(part: str) -> str | None:
        return first_text(*(raw.get(key) for key in keys.get(part, ())))

    name = pick("name") or joined_name(pick("first"), pick("last"))
    parts = ("company", "street", "street2", "city", "zipcode", "state", "country", "country_code", "phone")
    address = Address(name=name, **{part: pick(part) for part in parts})
    return None if address == Address() else address


def customer_from(
    *, shop_customer_id: Any, email: Any, name: str | None, phone: Any, billing: Address | None
) -> Customer:
    """The buyer, falling back to the billing address for name, company and phone."""
    billing = billing or Address()
    return Customer(
        shop_customer_id=first_text(shop_customer_id),
        email=first_text(email),
        name=name or billing.name,
        company=billing.company,
        phone=first_text(phone) or billing.phone,
    )
