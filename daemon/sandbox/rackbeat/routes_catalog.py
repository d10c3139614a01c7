"""``/products`` (+ stock per location), ``/product-groups`` and ``/locations``."""

from __future__ import annotations

from aiohttp import web

from ..common import mark_create
from .responses import many, one, read_body, reply
from .state import RackbeatState

PRODUCT_SEARCH = ("number", "name", "barcode", "description")


def catalog_routes(state: RackbeatState) -> list[web.RouteDef]:
    catalog = state.catalog

    def product(request: web.Request):
        return catalog.find_product(request.match_info["number"])

    async def list_products(request: web.Request) -> web.Response:
        return many(request, "products", map(catalog.product_dict, catalog.products.values()), PRODUCT_SEARCH)

    async def create_product(request: web.Request) -> web.Response:
        body = await read_body(request)
        mark_create(request)
        return one(request, "product", catalog.product_dict(catalog.create_product(body)), 201)

    async def get_product(request: web.Request) -> web.Response:
        return one(request, "product", catalog.product_dict(product(request)))

    async def update_product(request: web.Request) -> web.Response:
        updated = catalog.update_product(product(request), await read_body(request))
        return one(request, "product", catalog.product_dict(updated))

    async def delete_product(request: web.Request) -> web.Response:
        catalog.delete_product(product(request))
        return reply({}, 200)

    async def product_locations(request: web.Request) -> web.Response:
        return many(request, "product_locations", catalog.product_locations(product(request)), ())

    async def product_location(request: web.Request) -> web.Response:
        location = catalog.location(request.match_info["location"])
        entries = catalog.product_locations(product(request))
        return reply({"product_location": next(e for e in entries if e["location_id"] == location.number)})

    async def list_groups(request: web.Request) -> web.Response:
        return many(request, "product_groups", (g.to_dict() for g in catalog.groups.values()))

    async def get_group(request: web.Request) -> web.Response:
        return one(request, "product_group", catalog.group(request.match_info["number"]).to_dict())

    async def create_group(request: web.Request) -> web.Response:
        body = await read_body(request)
        mark_create(request)
        return one(request, "product_group", catalog.create_group(body).to_dict(), 201)

    async def list_locations(request: web.Request) -> web.Response:
        return many(request, "locations", (loc.to_dict() for loc in catalog.locations.values()))

    async def get_location(request: web.Request) -> web.Response:
        return one(request, "location", catalog.location(request.match_info["number"]).to_dict())

    return [
        web.get("/api/products", list_products),
        web.post("/api/products", create_product),
        web.get("/api/products/{number}", get_product),
        web.put("/api/products/{number}", update_product),
        web.delete("/api/products/{number}", delete_product),
        web.get("/api/products/{number}/locations", product_locations),
        web.get("/api/products/{number}/locations/{location}", product_location),
        web.get("/api/product-groups", list_groups),
        web.post("/api/product-groups", create_group),
        web.get("/api/product-groups/{number}", get_group),
        web.get("/api/locations", list_locations),
        web.get("/api/locations/{number}", get_location),
    ]
