"""``/inventory-adjustments``: drafts that move stock when booked."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .responses import many, one, read_body
from .state import RackbeatState


def inventory_routes(state: RackbeatState) -> list[web.RouteDef]:
    adjustments = state.adjustments

    async def list_all(request: web.Request) -> web.Response:
        records = map(adjustments.to_dict, adjustments.records.values())
        return many(request, "inventory_adjustments", records, ("item_number", "description", "reason"))

    async def create(request: web.Request) -> web.Response:
        body = await read_body(request)
        mark_create(request)
        return one(request, "inventory_adjustment", adjustments.to_dict(adjustments.create(body)), 201)

    async def get(request: web.Request) -> web.Response:
        adjustment = adjustments.find(request.match_info["id"])
        return one(request, "inventory_adjustment", adjustments.to_dict(adjustment))

    async def book(request: web.Request) -> web.Response:
        adjustment = adjustments.book(adjustments.find(request.match_info["id"]))
        return one(request, "inventory_adjustment", adjustments.to_dict(adjustment))

    return [
        web.get("/api/inventory-adjustments", list_all),
        web.post("/api/inventory-adjustments", create),
        web.get("/api/inventory-adjustments/{id}", get),
        web.post("/api/inventory-adjustments/{id}/book", book),
    ]
