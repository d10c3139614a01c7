"""``/wc/v3/products`` and ``/wc/v3/products/{id}/variations`` handlers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..common import mark_create
from .batch import run_batch
from .listing import Collection
from .models import PRODUCT_STATUSES, PRODUCT_TYPES, Product
from .params import Args
from .site import SITE, Site
from .wire import QUERY, RestError, read_body, rest_response

PRODUCT_ORDERBY = {
    "date": lambda p: p.date_created,
    "id": lambda p: p.id,
    "modified": lambda p: p.date_modified,
    "title": lambda p: p.name.lower(),
    "slug": lambda p: p.slug,
}


def _skus(raw: str) -> set[str]:
    """``?sku=A,B`` matches each SKU, and the whole string is tried as one SKU too (W7)."""
    return {part.strip() for part in raw.split(",") if part.strip()} | {raw}


def _matches_search(product: Product, term: str) -> bool:
    term = term.lower()
    return any(term in text.lower() for text in (product.name, product.description, product.short_description))


def _list(request: web.Request, candidates: list[Product], *, allow_type: bool) -> web.Response:
    site: Site = request[SITE]
    args = Args(request[QUERY])
    collection = Collection(args, site.time, PRODUCT_ORDERBY)
    sku, search = args.text("sku"), args.text("search")
    status = args.choice("status", "any", ("any", "trash", *PRODUCT_STATUSES))
    kind = args.choice("type", "", PRODUCT_TYPES) if allow_type else ""
    args.done()
    if sku is None and allow_type:
        candidates = [p for p in candidates if p.type != "variation"]
    items = [
        p
        for p in candidates
        if (p.status != "trash" if status == "any" else p.status == status)
        and (sku is None or p.sku in _skus(sku))
        and (not search or _matches_search(p, search))
        and (not kind or p.type == kind)
    ]
    chosen = collection.select(items, lambda p: p.date_created, lambda p: p.date_modified)
    page, headers = collection.page_of(request, chosen, site.home_url)
    return rest_response(request, [site.serializer.product(p) for p in page], headers=headers)


def _created(request: web.Request, site: Site, product: Product, path: str) -> web.Response:
    return rest_response(
        request,
        site.serializer.product(product),
        status=201,
        headers={"Location": f"{site.home_url}/wp-json/wc/v3/{path}/{product.id}"},
    )


def _force(request: web.Request) -> bool:
    args = Args(request[QUERY])
    force = args.flag("force")
    args.done()
    return force


def _id(request: web.Request, name: str = "id") -> int:
    return int(request.match_info[name])


async def list_products(request: web.Request) -> web.Response:
    return _list(request, list(request[SITE].store.products.values()), allow_type=True)


async def create_product(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    mark_create(request)
    return _created(request, site, site.products.create(body), "products")


async def get_product(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    return rest_response(request, site.serializer.product(site.products.get(_id(request))))


async def update_product(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    product = site.products.get(_id(request), status=400)
    return rest_response(request, site.serializer.product(site.products.update(product, body)))


async def delete_product(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    product = site.products.get(_id(request))
    return rest_response(request, site.serializer.product(site.products.delete(product, _force(request))))


async def batch_products(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    if body.get("create"):
        mark_create(request)

    async def create(item: dict[str, Any]) -> dict[str, Any]:
        return site.serializer.product(site.products.create(item))

    async def update(item: dict[str, Any]) -> dict[str, Any]:
        product = site.products.get(int(item.get("id", 0)), status=400)
        return site.serializer.product(site.products.update(product, item))

    async def delete(product_id: int) -> dict[str, Any]:
        return site.serializer.product(site.products.delete(site.products.get(product_id), True))

    return rest_response(request, await run_batch(body, create=create, update=update, delete=delete))


# ---- variations --------------------------------------------------------------------------------


def _parent(request: web.Request) -> Product:
    site: Site = request[SITE]
    parent = site.products.get(_id(request))
    if parent.type == "variation":
        raise RestError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
    return parent


async def list_variations(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    parent = _parent(request)
    children = [site.store.products[v] for v in parent.variation_ids if v in site.store.products]
    return _list(request, children, allow_type=False)


async def create_variation(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    parent = _parent(request)
    body = await read_body(request)
    mark_create(request)
    return _created(request, site, site.products.create(body, parent), f"products/{parent.id}/variations")


async def get_variation(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    variation = site.products.get_variation(_id(request), _id(request, "vid"))
    return rest_response(request, site.serializer.product(variation))


async def update_variation(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    body = await read_body(request)
    variation = site.products.get_variation(_id(request), _id(request, "vid"), status=400)
    return rest_response(request, site.serializer.product(site.products.update(variation, body)))


async def delete_variation(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    variation = site.products.get_variation(_id(request), _id(request, "vid"))
    return rest_response(request, site.serializer.product(site.products.delete(variation, _force(request))))


async def batch_variations(request: web.Request) -> web.Response:
    site: Site = request[SITE]
    parent = _parent(request)
    body = await read_body(request)
    if body.get("create"):
        mark_create(request)

    async def create(item: dict[str, Any]) -> dict[str, Any]:
        return site.serializer.product(site.products.create(item, parent))

    async def update(item: dict[str, Any]) -> dict[str, Any]:
        variation = site.products.get_variation(parent.id, int(item.get("id", 0)), status=400)
        return site.serializer.product(site.products.update(variation, item))

    async def delete(variation_id: int) -> dict[str, Any]:
        variation = site.products.get_variation(parent.id, variation_id)
        return site.serializer.product(site.products.delete(variation, True))

    return rest_response(request, await run_batch(body, create=create, update=update, delete=delete))


def register(router: web.UrlDispatcher, prefix: str) -> None:
    base = f"{prefix}/products"
    router.add_get(base, list_products)
    router.add_post(base, create_product)
    router.add_post(f"{base}/batch", batch_products)
    router.add_get(base + r"/{id:\d+}", get_product)
    router.add_put(base + r"/{id:\d+}", update_product)
    router.add_patch(base + r"/{id:\d+}", update_product)
    router.add_delete(base + r"/{id:\d+}", delete_product)
    variations = base + r"/{id:\d+}/variations"
    router.add_get(variations, list_variations)
    router.add_post(variations, create_variation)
    router.add_post(f"{variations}/batch", batch_variations)
    router.add_get(variations + r"/{vid:\d+}", get_variation)
    router.add_put(variations + r"/{vid:\d+}", update_variation)
    router.add_patch(variations + r"/{vid:\d+}", update_variation)
    router.add_delete(variations + r"/{vid:\d+}", delete_variation)
