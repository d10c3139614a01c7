"""The WooCommerce emulator: many sites on one server, each under its own path prefix
(``http://127.0.0.1:PORT/{handle}`` is the site URL; the client appends ``/wp-json/wc/v3/...``).
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from ..common import CONTROL_PREFIX, Clock, Faults, add_fault_control, fault_middleware
from . import api_orders, api_products, api_webhooks, control
from .params import php_query
from .site import SITE, Site
from .spec import SiteSpec
from .wire import QUERY, RestError, no_route, raw_response

API_PREFIX = "/{handle}/wp-json/wc/v3"
_CANNOT = {
    "GET": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "HEAD": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "POST": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "PUT": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "PATCH": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "DELETE": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
}


def _throttled(_: web.Request) -> web.Response:
    """WooCommerce has no limiter of its own; a host or WAF in front answers 429 like this."""
    return raw_response(
        {"code": "too_many_requests", "message": "Too Many Requests", "data": {"status": 429}},
        status=429,
        headers={"Retry-After": "2"},
    )


class WooEmulator:
    """Serve ``app`` (e.g. with ``common.serve``); ``sites[handle]`` exposes each site's state to tests."""

    def __init__(self, sites: list[SiteSpec], *, faults: Faults | None = None, clock: Clock | None = None) -> None:
        self.faults = faults or Faults()
        self.clock = clock or Clock()
        self._session: aiohttp.ClientSession | None = None
        self.sites: dict[str, Site] = {
            spec.handle: Site(spec, clock=self.clock, session=self._client) for spec in sites
        }
        self.app = web.Application(middlewares=[fault_middleware(self.faults, throttled=_throttled), self._middleware])
        add_fault_control(self.app, self.faults)
        control.register(self.app.router, self._site_of)
        for module in (api_products, api_orders, api_webhooks):
            module.register(self.app.router, API_PREFIX)
        self.app.on_cleanup.append(self._cleanup)

    async def drain_webhooks(self) -> None:
        """Deliver every queued webhook of every site now and wait for the answers."""
        await asyncio.gather(*(site.queue.drain() for site in self.sites.values()))

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(version=aiohttp.HttpVersion10)  # WP_Http's default
        return self._session

    async def _cleanup(self, _: web.Application) -> None:
        await asyncio.gather(*(site.queue.close() for site in self.sites.values()))
        if self._session is not None:
            await self._session.close()

    def _site_of(self, request: web.Request) -> Site:
        site = self.sites.get(request.match_info.get("handle", ""))
        if site is None:
            raise control.unknown_site(request.match_info.get("handle", ""))
        return site

    @web.middleware
    async def _middleware(self, request: web.Request, handler) -> web.StreamResponse:
        try:
            if request.path.startswith(CONTROL_PREFIX + "/"):
                site = self.sites.get(request.path.split("/")[2])
                if site is not None:
                    site.learn_url(request)
                return await handler(request)
            return await self._api(request, handler)
        except RestError as error:
            return error.response()

    async def _api(self, request: web.Request, handler) -> web.StreamResponse:
        """Authentication runs before routing (as in WP), so a bad signature is 401 even on an unknown route."""
        _, handle, *rest = request.path.split("/", 2)
        site = self.sites.get(handle)
        if site is None or not (rest and rest[0].startswith("wp-json/")):
            raise no_route()
        site.learn_url(request)
        query = php_query(request.rel_url.raw_query_string)
        request[SITE] = site
        request[QUERY] = query
        base_url = f"{site.home_url}{request.path[len(handle) + 1:]}"
        user = site.auth.authenticate(request.method, base_url, query, request.headers)
        if request.match_info.http_exception is not None:
            raise no_route()
        if user is None:
            code, message = _CANNOT.get(request.method, _CANNOT["GET"])
            raise RestError(code, message, 401)
        return await handler(request)
