"""What sales orders and purchase orders share: lines, booking, and partial fulfilment.

A *fulfilment* is a shipment (sales) or a receipt (purchasing): it takes some outstanding quantity
of some lines and, once completed (mark-shipped / mark-received), moves stock. Subclasses of
:class:`DocumentBook` only say which partner they deal with and how a line affects stock.
"""


from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterator

from .catalog import Catalog, Product
from .document_input import DocumentReader
from .document_model import ADDRESS_PARTS, Document, Fulfilment, FulfilmentLine, Line
from .events import Event, Publish
from .failures import Problems, not_found, unprocessable
from .money import document_totals, line_total, line_vat
from .parties import Parties
from .payload import Payload
from .stamps import Stamps, iso


class DocumentBook:
    """Numbered documents of one kind with lines, booking and fulfilments.

    Class attributes name the kind: ``kind`` (``order``), ``fulfilment_kind`` (``order_shipment``)
    and ``done`` (``shipped``, giving ``is_shipped``, ``shipped_quantity`` and ``order.shipped``).
    """

    kind = ""
    fulfilment_kind = ""
    done = ""
    label = ""

    def __init__(
        self, catalog: Catalog, parties: Parties, stamps: Stamps, publish: Publish, ids: Iterator[int]
    ) -> None:
        self.catalog = catalog
        self.parties = parties
        self.party_kind = parties.kind
        self.stamps = stamps
        self.publish = publish
        self.ids = ids  # shared source of line/fulfilment ids, unique across the account
        self.documents: dict[int, Document] = {}
        self.fulfilments: dict[int, Fulfilment] = {}
        self._next_id = itertools.count(1)
        self._highest_number = 0  # numbers of deleted documents are not handed out again
        self.reader = DocumentReader(catalog, parties, stamps, ids, self.default_price, done=self.done)

    # -- hooks ----------------------------------------------------------------------------------

    def default_price(self, product: Product) -> Decimal:
        raise NotImplementedError

    def on_book(self, line: Line) -> None:
        """Stock effect of booking one line (reserve / expect its outstanding quantity)."""
        raise NotImplementedError

    def on_fulfil(self, line: Line, quantity: Decimal) -> None:
        """Stock effect of completing ``quantity`` of a line (ship out / receive in)."""
        raise NotImplementedError

    def check_bookable(self, document: Document, problems: Problems) -> None:
        """Extra booking rules of this kind."""

    # -- lookup ---------------------------------------------------------------------------------

    def find(self, key: str | int) -> Document:
        try:
            return self.documents[int(str(key))]
        except (KeyError, ValueError):
            raise not_found(self.label) from None

    def find_fulfilment(self, key: str | int, document: Document | None = None) -> Fulfilment:
        try:
            fulfilment = self.fulfilments[int(str(key))]
        except (KeyError, ValueError):
            fulfilment = None
        if fulfilment is None or (document is not None and fulfilment.document is not document):
            raise not_found(self.fulfilment_kind.replace("_", " ").capitalize())
        return fulfilment

    # -- writes ---------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], *, book: bool) -> Document:
        problems = Problems()
        data = Payload(body, problems)
        number = data.integer("number")
        if number is not None and number in self.documents:
            problems.add("number", "The number has already been taken.")
        party = self.reader.party(data, required=True)
        header = self.reader.header(data, party)
        lines = self.reader.lines(data, header.get("vat_zone")) or []
        problems.raise_if_any()
        now = self.stamps.next()
        document = Document(
            id=next(self._next_id),
            number=number if number is not None else self._highest_number + 1,
            party=party,
            lines=lines,
            header=header,
            created_at=now,
            updated_at=now,
        )
        if book:
            self._check_bookable(document)
        self.documents[document.number] = document
        self._highest_number = max(self._highest_number, document.number)
        self._announce(document, "created")
        if book:
            self.book(document)
        return document

    def update(self, document: Document, body: dict[str, Any]) -> Document:
        if document.is_booked:
            raise unprocessable("is_booked", f"{self.label} is booked and can no longer be changed.")
        problems = Problems()
        data = Payload(body, problems)
        party = self.reader.party(data, required=False) or document.party
        header = document.header | self.reader.header(data, party, only_given=True)
        lines = self.reader.lines(data, header.get("vat_zone"))
        problems.raise_if_any()
        document.party = party
        document.header = header
        if lines is not None:
            document.lines = lines
        self.touch(document)
        changed = [key for key in body if key != "suppress_webhooks"]
        self._announce(document, "updated", changed=changed)
        return document

    def delete(self, document: Document) -> None:
        """Only unbooked documents can be deleted [inferred: booked ones hold stock effects]."""
        if document.is_booked:
            raise unprocessable("is_booked", f"{self.label} is booked and cannot be deleted.")
        del self.documents[document.number]
        self._announce(document, "deleted")

    def book(self, document: Document) -> Document:
        if document.is_booked:
            raise unprocessable("is_booked", f"{self.label} is already booked.")
        self._check_bookable(document)
        for line in document.lines:
            self.on_book(line)
        document.is_booked = True
        document.booked_at = self.touch(document)
        self._announce(document, "booked")
        return document

    def create_fulfilment(self, document: Document, body: dict[str, Any]) -> Fulfilment:
        if not document.is_booked or document.is_cancelled:
            raise unprocessable("is_booked", f"{self.label} must be booked first.")
        if document.is_done:
            raise unprocessable(f"is_{self.done}", f"{self.label} is already fully {self.done}.")
        open_fulfilments = [f for f in self.fulfilments.values() if f.document is document and not f.is_done]
        plan = self.reader.plan(document, open_fulfilments, Payload(body, Problems()))
        now = self.stamps.next()
        fulfilment = Fulfilment(
            id=next(self.ids),
            document=document,
            lines=[FulfilmentLine(next(self.ids), line, quantity) for line, quantity in plan],
            created_at=now,
            updated_at=now,
        )
        self.fulfilments[fulfilment.id] = fulfilment
        self.touch(document)
        ref = self._fulfilment_ref(fulfilment)
        self.publish(Event(f"{self.fulfilment_kind}.created", fulfilment.id, "id", ref))
        return fulfilment

    def complete(self, fulfilment: Fulfilment) -> Fulfilment:
        """Mark a fulfilment shipped/received: lines count it done and stock moves per location."""
        if fulfilment.is_done:
            raise unprocessable(f"is_{self.done}", f"Already {self.done}.")
        for part in fulfilment.lines:
            part.line.done += part.quantity
            self.on_fulfil(part.line, part.quantity)
        fulfilment.is_done = True
        fulfilment.done_at = fulfilment.updated_at = self.stamps.next()
        document = fulfilment.document
        self.touch(document)
        self._announce(document, self.done, **self._fulfilment_ref(fulfilment))
        return fulfilment

    def touch(self, document: Document) -> datetime:
        document.updated_at = self.stamps.next()
        return document.updated_at

    # -- helpers --------------------------------------------------------------------------------

    def _announce(self, document: Document, what: str, **data: Any) -> None:
        self.publish(Event(f"{self.kind}.{what}", document.number, "number", {"number": document.number, **data}))

    def _fulfilment_ref(self, fulfilment: Fulfilment) -> dict[str, Any]:
        document = fulfilment.document
        return {
            f"{self.fulfilment_kind}_id": fulfilment.id,
            f"{self.kind}_number": document.number,
            f"is_{self.done}": document.is_done,
            f"is_partly_{self.done}": document.is_partly_done,
        }

    def _check_bookable(self, document: Document) -> None:
        problems = Problems()
        if document.is_cancelled:
            problems.add("is_cancelled", f"{self.label} is cancelled.")
        self.check_bookable(document, problems)
        problems.raise_if_any()

    # -- views ----------------------------------------------------------------------------------

    def line_dict(self, line: Line) -> dict[str, Any]:
        return {
            "id": line.id,
            "item_id": line.product.number,
            "item": {"number": line.product.number, "name": line.product.name},
            "name": line.name,
            "quantity": line.quantity,
            "line_price": line.line_price,
            "discount_percentage": line.discount_percentage,
            "vat_percentage": line.vat_percentage,
            "line_total": line_total(line),
            "line_vat": line_vat(line),
            "location_id": line.location.number,
            "location": line.location.ref(),
            f"{self.done}_quantity": line.done,
        }

    def to_dict(self, document: Document) -> dict[str, Any]:
        header = dict(document.header)
        return {
            "id": document.id,
            "number": document.number,
            f"{self.party_kind}_id": document.party.number,
            self.party_kind: document.party.ref(),
            **header,
            "delivery_address": {part: header.get(f"delivery_address_{part}") for part in ADDRESS_PARTS},
            "billing_address": {part: header.get(f"address_{part}") for part in ADDRESS_PARTS},
            "is_booked": document.is_booked,
            "booked_at": iso(document.booked_at),
            "is_cancelled": document.is_cancelled,
            f"is_{self.done}": document.is_done,
            f"is_partly_{self.done}": document.is_partly_done,
            "lines": [self.line_dict(line) for line in document.lines],
            **document_totals(document.lines),
            "created_at": iso(document.created_at),
            "updated_at": iso(document.updated_at),
        }

    def fulfilment_dict(self, fulfilment: Fulfilment) -> dict[str, Any]:
        return {
            "id": fulfilment.id,
            f"{self.kind}_number": fulfilment.document.number,
            f"{self.party_kind}_number": fulfilment.document.party.number,
            f"is_{self.done}": fulfilment.is_done,
            f"{self.done}_at": iso(fulfilment.done_at),
            "lines": [
                {
                    "id": part.id,
                    "line_id": part.line.id,
                    "item": {"number": part.line.product.number, "name": part.line.product.name},
                    "location": part.line.location.ref(),
                    "quantity": part.quantity,
                }
                for part in fulfilment.lines
            ],
            "created_at": iso(fulfilment.created_at),
            "updated_at": iso(fulfilment.updated_at),
        }

