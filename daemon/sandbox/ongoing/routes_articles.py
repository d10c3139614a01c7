"""``/articles``: upsert by articleNumber, one by articleSystemId, filtered id-cursor lists."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from . import articles
from .query import Query
from .store import Store
from .wire import read_body, reply


def article_routes(prefix: str, store: Store) -> list[web.RouteDef]:
    async def upsert(request: web.Request) -> web.Response:
        body = await read_body(request)
        if store.article_by_number(str(body.get("articleNumber"))) is None:
            mark_create(request)
        article, created = articles.upsert(store, body)
        verb = "Created" if created else "Updated"
        name = article.fields.get("articleName") or ""
        return reply({"articleSystemId": article.id, "message": f"Article {article.number} {name} {verb}"})

    async def list_all(request: web.Request) -> web.Response:
        return reply([articles.view(store, a) for a in articles.select(store, Query(request.query))])

    async def get_one(request: web.Request) -> web.Response:
        return reply(articles.view(store, store.article(int(request.match_info["id"]))))

    return [
        web.put(f"{prefix}/articles", upsert),
        web.get(f"{prefix}/articles", list_all),
        web.get(prefix + r"/articles/{id:\d+}", get_one),
    ]
