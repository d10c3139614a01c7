"""``/webhooks``: subscribe (upsert on event+url), list, read, unsubscribe."""

from __future__ import annotations

from aiohttp import web

from .responses import many, one, read_body, reply
from .state import RackbeatState


def webhook_routes(state: RackbeatState) -> list[web.RouteDef]:
    registry = state.webhooks

    async def list_all(request: web.Request) -> web.Response:
        return many(request, "webhooks", map(registry.to_dict, registry.hooks.values()), ("event", "url"))

    async def upsert(request: web.Request) -> web.Response:
        hook, created = registry.upsert(await read_body(request))
        return one(request, "webhook", registry.to_dict(hook, with_token=created), 201 if created else 200)

    async def get(request: web.Request) -> web.Response:
        return one(request, "webhook", registry.to_dict(registry.find(request.match_info["id"])))

    async def delete(request: web.Request) -> web.Response:
        registry.delete(registry.find(request.match_info["id"]))
        return reply({}, 200)

    return [
        web.get("/api/webhooks", list_all),
        web.post("/api/webhooks", upsert),
        web.get("/api/webhooks/{id}", get),
        web.delete("/api/webhooks/{id}", delete),
    ]
