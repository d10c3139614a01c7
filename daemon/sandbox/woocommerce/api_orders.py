"""``/wc/v3/orders``, its batch and its notes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..common import mark_create
from .batch import run_batch
from .listing import Collection
from .models import ORDER_STATUSES, Order
from .params import Args
from .site import SITE, Site
from .wire import QUERY, RestError, read_body, require_params, rest_response

ORDER_ORDERBY = {
    "date": lambda o: o.date_created,
    "id": lambda o: o.id,
    "modified": lambda o: o.date_modified,
}
STATUS_FILTER = ("any", "trash", *ORDER_STATUSES)


def _not_emulated() -> RestError:
    return RestError(
        "woocommerce_rest_cannot_create",
        "Creating orders over REST is not emulated; place them with POST /_sandbox/{site}/orders.",
        501,
    )


def _order(request: web.Request, status: int = 404) -> Order:
    site: Site = request[SITE]
    return site.orders.get(int(request.match_info["id"]), status)


async def list_orders(request: web.Request) -> web.Response:
    """``status`` takes one value, a comma list or an array; ``any`` is every status except trash [I]."""
    site: Site = request[SITE]
    args = Args(request[QUERY])
    collection = Collection(args, site.time, ORDER_ORDERBY)
    statuses = args.choices("status", ["any"], STATUS_FILTER)
    args.done()
    wanted = set(statuses)

    def selected(order: Order) -> bool:
        return order.status in wanted or ("any" in wanted and order.status != "trash")

    items = [o for o in site.store.orders.values() if selected(o)]
    chosen = collection.select(items, lambda o: o.date_created, lambda o: o.date_modified)
    page, headers = collection.page_of(request, chosen, site.home_url)
    return rest_response(request, [site.serializer.order(o) for o in page], headers=headers)


async def create_order(_: web.Request) -> web.Response:
    raise _not_emulated()


async def get_order(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    return rest_response(request, site.serializer.order(_order(request)))


async def update_order(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    order = _order(request, status=400)
    return rest_response(request, site.serializer.order(site.orders.update(order, body)))


async def delete_order(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    args = Args(request[QUERY])
    force = args.flag("force")
    args.done()
    return rest_response(request, site.serializer.order(site.orders.delete(_order(request), force)))


async def batch_orders(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)

    async def create(_: dict[str, Any]) -> dict[str, Any]:
        raise _not_emulated()

    async def update(item: dict[str, Any]) -> dict[str, Any]:
        order = site.orders.get(int(item.get("id", 0)), status=400)
        return site.serializer.order(site.orders.update(order, item))

    async def delete(order_id: int) -> dict[str, Any]:
        return site.serializer.order(site.orders.delete(site.orders.get(order_id), True))

    return rest_response(request, await run_batch(body, create=create, update=update, delete=delete))


# ---- notes -------------------------------------------------------------------------------------


def _note_order(request: web.Request) -> Order:
    site: Site = request[SITE]
    order = site.store.orders.get(int(request.match_info["id"]))
    if order is None:
        raise RestError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
    return order


async def list_notes(request: web.Request) -> web.Response:
    """Newest first; ``type`` is any, customer or internal."""
    site: Site = request[SITE]
    order = _note_order(request)
    args = Args(request[QUERY])
    kind = args.choice("type", "any", ("any", "customer", "internal"))
    args.done()
    notes = [
        n for n in site.store.notes_for(order.id)
        if kind == "any" or n.customer_note == (kind == "customer")
    ]
    notes.sort(key=lambda n: (n.date_created, n.id), reverse=True)
    return rest_response(request, [site.serializer.note(n) for n in notes])


async def create_note(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    order = _note_order(request)
    body = await read_body(request)
    require_params(body, ["note"])
    if not str(body["note"]).strip():
        raise RestError("woocommerce_rest_invalid_order_note", "Cannot create order note, please try again.", 500)
    mark_create(request)
    note = site.orders.add_note(
        order,
        str(body["note"]),
        customer_note=body.get("customer_note") is True,
        author="admin" if body.get("added_by_user") is True else "system",
    )
    return rest_response(
        request,
        site.serializer.note(note),
        status=201,
        headers={"Location": f"{site.home_url}/wp-json/wc/v3/orders/{order.id}/notes/{note.id}"},
    )


def register(router: web.UrlDispatcher, prefix: str) -> None:
    base = f"{prefix}/orders"
    router.add_get(base, list_orders)
    router.add_post(base, create_order)
    router.add_post(f"{base}/batch", batch_orders)
    router.add_get(base + r"/{id:\d+}", get_order)
    router.add_put(base + r"/{id:\d+}", update_order)
    router.add_patch(base + r"/{id:\d+}", update_order)
    router.add_delete(base + r"/{id:\d+}", delete_order)
    router.add_get(base + r"/{id:\d+}/notes", list_notes)
    router.add_post(base + r"/{id:\d+}/notes", create_note)
