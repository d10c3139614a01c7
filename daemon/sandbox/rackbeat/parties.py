"""Customers and suppliers: numbered business partners with contact and address fields.

Both kinds behave the same (auto-numbering with max+1 when ``number`` is omitted, ``name`` and
``company_name`` accepted and both exposed [notes §9.4: sources disagree, so we serve both]).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from .events import Event, Publish
from .failures import Problems, not_found
from .money import ZERO
from .payload import Payload
from .stamps import Stamps, iso

VAT_ZONES = ("domestic", "eu", "abroad")
TEXT_FIELDS = (
    "contact_email",
    "contact_phone",
    "company_vat",
    "ean",
    "locale",
    "currency",
    "attention",
    "their_reference",
    "address_street",
    "address_street2",
    "address_city",
    "address_zipcode",
    "address_state",
    "address_country",
)


@dataclass(eq=False)
class Party:
    id: int
    number: int
    name: str
    created_at: datetime
    updated_at: datetime
    vat_zone: str = "domestic"
    is_barred: bool = False
    general_discount_percentage: Decimal = ZERO
    values: dict[str, Any] = field(default_factory=dict)

    def ref(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "company_name": self.name}


class Parties:
    """One kind of partner (``customer`` or ``supplier``) with Rackbeat's CRUD rules."""

    def __init__(self, kind: str, stamps: Stamps, publish: Publish) -> None:
        self.kind = kind
        self.stamps = stamps
        self.publish = publish
        self.records: dict[int, Party] = {}
        self.int_fields = (f"{kind}_group_id", "payment_terms_id", "layout_id", "employee_id")
        self._next_id = 1

    def find(self, key: str | int) -> Party:
        try:
            return self.records[int(str(key))]
        except (KeyError, ValueError):
            raise not_found(self.kind.capitalize()) from None

    def create(self, body: dict[str, Any]) -> Party:
        problems = Problems()
        data = Payload(body, problems)
        number = data.integer("number")
        if number is not None and number in self.records:
            problems.add("number", "The number has already been taken.")
        if not (data.data.get("name") or data.data.get("company_name")):
            problems.add("company_name", "The company name field is required.")
        now = self.stamps.next()
        party = Party(
            id=self._next_id,
            number=number if number is not None else max(self.records, default=0) + 1,
            name="",
            created_at=now,
            updated_at=now,
        )
        self._apply(party, data)
        problems.raise_if_any()
        self._next_id += 1
        self.records[party.number] = party
        self.publish(Event(f"{self.kind}.created", party.number, "number", {"number": party.number}))
        return party

    def update(self, party: Party, body: dict[str, Any]) -> Party:
        problems = Problems()
        data = Payload(body, problems)
        if data.has("number") and data.integer("number") != party.number:
            problems.add("number", "The number cannot be changed.")  # [inferred]
        draft = replace(party, values=dict(party.values))
        self._apply(draft, data)
        problems.raise_if_any()
        party.__dict__.update(draft.__dict__)
        party.updated_at = self.stamps.next()
        changed = [key for key in body if key != "suppress_webhooks"]
        data = {"number": party.number, "changed": changed}
        self.publish(Event(f"{self.kind}.updated", party.number, "number", data))
        return party

    def delete(self, party: Party) -> None:
        del self.records[party.number]
        self.publish(Event(f"{self.kind}.deleted", party.number, "number", {"number": party.number}))

    def _apply(self, party: Party, data: Payload) -> None:
        for key in ("company_name", "name"):
            if data.data.get(key):
                party.name = data.text(key) or party.name
        for key in TEXT_FIELDS:
            if data.has(key):
                party.values[key] = data.text(key)
        for key in self.int_fields:
            if data.has(key):
                party.values[key] = data.integer(key)
        if data.has("vat_zone"):
            party.vat_zone = data.choice("vat_zone", VAT_ZONES) or party.vat_zone
        if data.has("is_barred"):
            party.is_barred = bool(data.boolean("is_barred"))
        if data.has("general_discount_percentage"):
            discount = data.decimal("general_discount_percentage", minimum=ZERO, maximum=Decimal(100))
            party.general_discount_percentage = discount if discount is not None else ZERO

    def to_dict(self, party: Party) -> dict[str, Any]:
        values = dict.fromkeys(TEXT_FIELDS + self.int_fields) | party.values
        return {
            "id": party.id,
            "number": party.number,
            "name": party.name,
            "company_name": party.name,
            **values,
            "vat_zone": party.vat_zone,
            "is_barred": party.is_barred,
            "general_discount_percentage": party.general_discount_percentage,
            "created_at": iso(party.created_at),
            "updated_at": iso(party.updated_at),
        }
