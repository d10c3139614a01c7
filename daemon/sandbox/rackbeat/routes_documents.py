"""Routes every document kind shares: list, create (booked), drafts, get, update, book, fulfilments.

For sales orders this yields ``/api/orders``, ``/api/orders/drafts``, ``/api/orders/{n}/book``,
``/api/orders/{n}/create-shipment`` and ``/api/orders/{n}/shipments``; purchasing gets the same
with ``purchase-orders`` and ``receipt``.
"""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .documents import DocumentBook
from .responses import many, one, read_body, reply

DOCUMENT_SEARCH = ("number", "other_reference", "heading", "address_name", "your_reference", "note")


def document_routes(book: DocumentBook, fulfilment_noun: str) -> list[web.RouteDef]:
    singular, plural = book.kind, f"{book.kind}s"
    base = f"/api/{plural.replace('_', '-')}"

    async def list_all(request: web.Request) -> web.Response:
        return many(request, plural, map(book.to_dict, book.documents.values()), DOCUMENT_SEARCH)

    async def create(request: web.Request, *, booked: bool = True) -> web.Response:
        body = await read_body(request)
        mark_create(request)
        return one(request, singular, book.to_dict(book.create(body, book=booked)), 201)

    async def create_draft(request: web.Request) -> web.Response:
        return await create(request, booked=False)

    async def get(request: web.Request) -> web.Response:
        return one(request, singular, book.to_dict(book.find(request.match_info["number"])))

    async def update(request: web.Request) -> web.Response:
        document = book.update(book.find(request.match_info["number"]), await read_body(request))
        return one(request, singular, book.to_dict(document))

    async def delete(request: web.Request) -> web.Response:
        book.delete(book.find(request.match_info["number"]))
        return reply({})

    async def book_document(request: web.Request) -> web.Response:
        return one(request, singular, book.to_dict(book.book(book.find(request.match_info["number"]))))

    async def create_fulfilment(request: web.Request) -> web.Response:
        document = book.find(request.match_info["number"])
        body = await read_body(request)
        mark_create(request)
        fulfilment = book.create_fulfilment(document, body)
        return one(request, book.fulfilment_kind, book.fulfilment_dict(fulfilment), 201)

    async def list_fulfilments_of(request: web.Request) -> web.Response:
        document = book.find(request.match_info["number"])
        records = (book.fulfilment_dict(f) for f in book.fulfilments.values() if f.document is document)
        return many(request, f"{book.fulfilment_kind}s", records, ("id",))

    async def list_fulfilments(request: web.Request) -> web.Response:
        records = map(book.fulfilment_dict, book.fulfilments.values())
        return many(request, f"{book.fulfilment_kind}s", records, ("id",))

    async def get_fulfilment(request: web.Request) -> web.Response:
        fulfilment = book.find_fulfilment(request.match_info["id"])
        return one(request, book.fulfilment_kind, book.fulfilment_dict(fulfilment))

    fulfilments_base = f"/api/{book.fulfilment_kind.replace('_', '-')}s"
    return [
        web.get(base, list_all),
        web.post(base, create),
        web.post(f"{base}/drafts", create_draft),
        web.get(f"{base}/{{number}}", get),
        web.put(f"{base}/{{number}}", update),
        web.delete(f"{base}/{{number}}", delete),
        web.post(f"{base}/{{number}}/book", book_document),
        web.post(f"{base}/{{number}}/create-{fulfilment_noun}", create_fulfilment),
        web.get(f"{base}/{{number}}/{fulfilment_noun}s", list_fulfilments_of),
        web.get(fulfilments_base, list_fulfilments),
        web.get(f"{fulfilments_base}/{{id}}", get_fulfilment),
    ]
