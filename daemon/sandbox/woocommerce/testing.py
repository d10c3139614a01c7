"""Helpers for tests and benchmarks that drive the WooCommerce emulator over real HTTP."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

import aiohttp
from aiohttp import web
from multidict import CIMultiDictProxy

from ..common import CONTROL_PREFIX, serve
from .app import WooEmulator
from .spec import SiteSpec


@dataclass
class Answer:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]


class WooClient:
    """``api("GET", "products")`` calls ``{site}/wp-json/wc/v3/products`` with the site's key
    (query string by default, ``auth="basic"`` or ``auth=None`` for the other cases)."""

    def __init__(self, emulator: WooEmulator, session: aiohttp.ClientSession, base_url: str, spec: SiteSpec) -> None:
        self.emulator = emulator
        self.session = session
        self.base_url = base_url
        self.spec = spec

    @property
    def site_url(self) -> str:
        return f"{self.base_url}/{self.spec.handle}"

    async def api(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | list[tuple[str, Any]] | None = None,
        auth: str | None = "query",
    ) -> Answer:
        """``params`` may be a list of pairs to repeat a key (``status[]``)."""
        query = list(params.items()) if isinstance(params, dict) else list(params or [])
        headers = {}
        if auth == "query":
            query += [("consumer_key", self.spec.consumer_key), ("consumer_secret", self.spec.consumer_secret)]
        elif auth == "basic":
            headers["Authorization"] = aiohttp.encode_basic_auth(self.spec.consumer_key, self.spec.consumer_secret)
        url = f"{self.site_url}/wp-json/wc/v3/{path}"
        async with self.session.request(method, url, json=json, params=query, headers=headers) as response:
            return Answer(response.status, await response.json(), response.headers)

    async def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}{CONTROL_PREFIX}/{self.spec.handle}/{path}"
        async with self.session.request(method, url, json=body) as response:
            assert response.status < 300, await response.text()
            return await response.json()

    async def place_order(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self.control("POST", "orders", body)

    async def state(self) -> dict[str, Any]:
        return await self.control("GET", "state")


@contextlib.asynccontextmanager
async def running(emulator: WooEmulator, handle: str | None = None) -> AsyncIterator[WooClient]:
    """Serve ``emulator`` and yield a client for one of its sites (the first by default)."""
    spec = emulator.sites[handle or next(iter(emulator.sites))].spec
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield WooClient(emulator, session, base_url, spec)


class WebhookReceiver:
    """Records every POST (headers, raw body); answers with ``statuses`` in turn, then 200."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.app = web.Application()
        self.app.router.add_post("/{tail:.*}", self._receive)

    async def _receive(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    def deliveries(self) -> list[tuple[dict[str, str], bytes]]:
        """The signed deliveries, pings left out."""
        return [(h, b) for h, b in self.requests if "X-WC-Webhook-Topic" in h]
