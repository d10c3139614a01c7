"""``/inventoryAdjustments``: the warehouse's stock corrections and their setReported acknowledgement."""

from __future__ import annotations

from aiohttp import web

from . import adjustments
from .query import Query
from .store import Store
from .wire import reply


def inventory_routes(prefix: str, store: Store) -> list[web.RouteDef]:
    async def list_all(request: web.Request) -> web.Response:
        return reply(adjustments.grouped(adjustments.select(store, Query(request.query))))

    async def get_one(request: web.Request) -> web.Response:
        return reply(adjustments.grouped(adjustments.of_inventory(store, int(request.match_info["id"]))))

    async def set_reported(request: web.Request) -> web.Response:
        inventory_id, article_id = int(request.match_info["id"]), int(request.match_info["article_id"])
        return reply(adjustments.set_reported(store, inventory_id, article_id))

    one = prefix + r"/inventoryAdjustments/{id:\d+}"
    return [
        web.get(f"{prefix}/inventoryAdjustments", list_all),
        web.get(one, get_one),
        web.patch(one + r"/articles/{article_id:\d+}/setReported", set_reported),
    ]
