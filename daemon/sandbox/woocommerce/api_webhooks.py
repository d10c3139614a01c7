"""``/wc/v3/webhooks``."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .listing import Collection
from .params import Args
from .site import SITE, Site
from .webhooks import STATUSES, Webhook
from .wire import QUERY, read_body, rest_response

WEBHOOK_ORDERBY = {"date": lambda w: w.date_created, "id": lambda w: w.id, "title": lambda w: w.name.lower()}


def _webhook(request: web.Request) -> Webhook:
    site: Site = request[SITE]
    return site.webhooks.get(int(request.match_info["id"]))


async def list_webhooks(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    args = Args(request[QUERY])
    collection = Collection(args, site.time, WEBHOOK_ORDERBY)
    status = args.choice("status", "all", ("all", *STATUSES))
    args.done()
    items = [w for w in site.webhooks.webhooks.values() if status == "all" or w.status == status]
    chosen = collection.select(items, lambda w: w.date_created, lambda w: w.date_modified)
    page, headers = collection.page_of(request, chosen, site.home_url)
    return rest_response(request, [site.webhooks.to_json(w) for w in page], headers=headers)


async def create_webhook(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    mark_create(request)
    webhook = await site.webhooks.create(body)
    return rest_response(
        request,
        site.webhooks.to_json(webhook),
        status=201,
        headers={"Location": f"{site.home_url}/wp-json/wc/v3/webhooks/{webhook.id}"},
    )


async def get_webhook(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    return rest_response(request, site.webhooks.to_json(_webhook(request)))


async def update_webhook(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    webhook = await site.webhooks.update(_webhook(request), body)
    return rest_response(request, site.webhooks.to_json(webhook))


async def delete_webhook(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    args = Args(request[QUERY])
    force = args.flag("force")
    args.done()
    return rest_response(request, site.webhooks.to_json(site.webhooks.delete(_webhook(request), force)))


def register(router: web.UrlDispatcher, prefix: str) -> None:
    base = f"{prefix}/webhooks"
    router.add_get(base, list_webhooks)
    router.add_post(base, create_webhook)
    router.add_get(base + r"/{id:\d+}", get_webhook)
    router.add_put(base + r"/{id:\d+}", update_webhook)
    router.add_patch(base + r"/{id:\d+}", update_webhook)
    router.add_delete(base + r"/{id:\d+}", delete_webhook)
