"""Request bodies to document parts: partner, header (with partner defaults), lines, fulfilment plans.

Problems are collected under Rackbeat's dotted paths (``lines.0.item_id``) and raised by the caller.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from .catalog import Catalog, Location, Product
from .document_model import ADDRESS_PARTS, HEADER_INT, HEADER_TEXT, Document, Fulfilment, Line
from .failures import unprocessable
from .money import HUNDRED, ZERO
from .parties import Parties, Party
from .payload import Payload, int_or_none
from .stamps import Stamps

PARTNER_ADDRESS = ("street", "street2", "city", "zipcode", "country")


class DocumentReader:
    """Reads bodies for one document kind; ``default_price`` prices lines that name no ``line_price``."""

    def __init__(
        self,
        catalog: Catalog,
        parties: Parties,
        stamps: Stamps,
        ids: Iterator[int],
        default_price: Callable[[Product], Decimal],
        *,
        done: str,
    ) -> None:
        self.catalog = catalog
        self.parties = parties
        self.party_kind = parties.kind
        self.stamps = stamps
        self.ids = ids
        self.default_price = default_price
        self.done = done

    def party(self, data: Payload, *, required: bool) -> Party | None:
        key = f"{self.party_kind}_id"
        raw = data.data.get(key)
        if raw is None:
            if required:
                data.problems.add(key, f"The {self.party_kind} id field is required.")
            return None
        party = self.parties.records.get(int_or_none(raw.get("number") if isinstance(raw, dict) else raw))
        if party is None:
            data.problems.add(key, f"The selected {self.party_kind.capitalize()} is invalid.")
        return party

    def header(self, data: Payload, party: Party | None, *, only_given: bool = False) -> dict[str, Any]:
        """Header fields from the body; on create, missing addresses and VAT zone default from the partner."""
        header: dict[str, Any] = {}
        for prefix, nested in (("address", "billing_address"), ("delivery_address", "delivery_address")):
            obj = data.nested(nested)
            for part in ADDRESS_PARTS:
                if obj.has(part):
                    header[f"{prefix}_{part}"] = obj.text(part)
        for key in HEADER_TEXT:
            if data.has(key):
                header[key] = data.text(key)
        for key in HEADER_INT:
            if data.has(key):
                header[key] = data.integer(key)
        if data.has("currency_rate"):
            header["currency_rate"] = data.decimal("currency_rate", positive=True)
        if header.get("vat_zone") not in (None, "domestic", "eu", "abroad"):
            data.problems.add("vat_zone", "The selected vat zone is invalid.")
        if only_given or party is None:
            return header
        partner = self.parties.to_dict(party)
        defaults = {
            "currency": partner.get("currency") or "DKK",
            "currency_rate": Decimal(100),  # [inferred] Danish convention: rate per 100 units
            "vat_zone": party.vat_zone,
            "order_date": self.stamps.next().date().isoformat(),
            "address_name": party.name,
            **{f"address_{part}": partner.get(f"address_{part}") for part in PARTNER_ADDRESS},
        }
        given = {key: value for key, value in header.items() if value is not None}
        return dict.fromkeys(HEADER_TEXT + HEADER_INT) | defaults | given

    def lines(self, data: Payload, vat_zone: str | None) -> list[Line] | None:
        items = data.objects("lines")
        if items is None:
            return None
        lines = []
        for item in items:
            product = self._product(item)
            quantity = item.decimal("quantity", required=True, places=4, positive=True)
            price = item.decimal("line_price", places=4)
            discount = item.decimal("discount_percentage", places=4, minimum=ZERO, maximum=HUNDRED)
            vat = item.decimal("vat_percentage", minimum=ZERO, maximum=HUNDRED)
            location = self._location(item, product)
            if product is None or quantity is None or location is None:
                continue
            lines.append(
                Line(
                    id=next(self.ids),
                    product=product,
                    name=item.text("name") or product.name,
                    quantity=quantity,
                    line_price=price if price is not None else self.default_price(product),
                    discount_percentage=discount or ZERO,
                    vat_percentage=vat if vat is not None else product.group.vat_for(vat_zone),
                    location=location,
                )
            )
        return lines

    def _product(self, item: Payload) -> Product | None:
        raw = item.data.get("item_id", item.data.get("product_id"))
        if raw is None or raw == "":
            item.problems.add(item.path("item_id"), "Product needed")
            return None
        raw = raw.get("number") if isinstance(raw, dict) else raw
        product = self.catalog.products.get(str(raw))
        if product is None:
            item.problems.add(item.path("item_id"), f"The selected item id is invalid: no product '{raw}'.")
        return product

    def _location(self, item: Payload, product: Product | None) -> Location | None:
        raw = item.data.get("location_id")
        if raw is None:
            return product.default_location if product else self.catalog.default_location
        location = self.catalog.locations.get(int_or_none(raw.get("number") if isinstance(raw, dict) else raw))
        if location is None:
            item.problems.add(item.path("location_id"), "The selected location id is invalid.")
        return location

    def plan(
        self, document: Document, open_fulfilments: Iterable[Fulfilment], body: Payload
    ) -> list[tuple[Line, Decimal]]:
        """Which quantities a new fulfilment takes: the requested ones, or everything still free
        (outstanding minus what open, not yet completed fulfilments already cover)."""
        free = {line.id: line.outstanding for line in document.lines}
        for fulfilment in open_fulfilments:
            for part in fulfilment.lines:
                free[part.line.id] -= part.quantity
        by_id = {line.id: line for line in document.lines}
        requested = body.objects("lines")
        if requested is None:
            plan = [(line, free[line.id]) for line in document.lines if free[line.id] > 0]
        else:
            plan = []
            for item in requested:
                line = by_id.get(int_or_none(item.data.get("line_id")))
                if line is None:
                    body.problems.add(item.path("line_id"), "The selected line id is invalid.")
                    continue
                quantity = item.decimal("quantity", places=4, positive=True)
                if item.has("quantity") and quantity is None:
                    continue
                quantity = free[line.id] if quantity is None else quantity
                if quantity > free[line.id]:
                    message = f"The quantity may not be greater than {free[line.id]}."
                    body.problems.add(item.path("quantity"), message)
                elif quantity > 0:
                    free[line.id] -= quantity
                    plan.append((line, quantity))
        body.problems.raise_if_any()
        if not plan:
            raise unprocessable("lines", f"Nothing left to be {self.done}.")
        return plan
