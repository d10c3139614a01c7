"""``/customers``, ``/suppliers`` (same CRUD) and ``/self`` (the account)."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .parties import Parties
from .responses import many, one, read_body, reply
from .state import RackbeatState

PARTY_SEARCH = ("number", "name", "company_name", "contact_email", "contact_phone", "company_vat", "ean")


def party_routes(parties: Parties) -> list[web.RouteDef]:
    """CRUD for one kind of partner, e.g. ``/api/customers`` with ``{"customer": ...}`` bodies."""
    singular, plural = parties.kind, f"{parties.kind}s"

    async def list_all(request: web.Request) -> web.Response:
        return many(request, plural, map(parties.to_dict, parties.records.values()), PARTY_SEARCH)

    async def create(request: web.Request) -> web.Response:
        body = await read_body(request)
        mark_create(request)
        return one(request, singular, parties.to_dict(parties.create(body)), 201)

    async def get(request: web.Request) -> web.Response:
        return one(request, singular, parties.to_dict(parties.find(request.match_info["number"])))

    async def update(request: web.Request) -> web.Response:
        party = parties.update(parties.find(request.match_info["number"]), await read_body(request))
        return one(request, singular, parties.to_dict(party))

    async def delete(request: web.Request) -> web.Response:
        parties.delete(parties.find(request.match_info["number"]))
        return reply({}, 200)

    return [
        web.get(f"/api/{plural}", list_all),
        web.post(f"/api/{plural}", create),
        web.get(f"/api/{plural}/{{number}}", get),
        web.put(f"/api/{plural}/{{number}}", update),
        web.delete(f"/api/{plural}/{{number}}", delete),
    ]


def account_routes(state: RackbeatState) -> list[web.RouteDef]:
    async def self_(_: web.Request) -> web.Response:
        account = {"id": state.account_id, "company_name": state.company_name}
        return reply({"user_account": account, "user": {"id": 1, "name": "API user"}})

    return [
        web.get("/api/self", self_),
        *party_routes(state.customers),
        *party_routes(state.suppliers),
    ]
