"""Helpers for tests and benchmarks that drive the emulator over real HTTP."""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

import aiohttp
from aiohttp import web

from ..common import serve
from .app import ShopifyEmulator

DEFAULT_VERSION = "2026-01"


class ShopClient:
    """A minimal client for one emulated shop: GraphQL calls plus the ``/_sandbox`` control routes."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        handle: str,
        token: str,
        version: str = DEFAULT_VERSION,
    ) -> None:
        self.session = session
        self.base_url = base_url
        self.handle = handle
        self.token = token
        self.version = version

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/{self.handle}"

    async def graphql_response(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        version: str | None = None,
        token: str | None = None,
    ) -> tuple[int, Any]:
        url = f"{self.api_url}/admin/api/{version or self.version}/graphql.json"
        headers = {"X-Shopify-Access-Token": self.token if token is None else token}
        async with self.session.post(
            url, json={"query": query, "variables": variables or {}}, headers=headers
        ) as response:
            return response.status, await response.json()

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, version: str | None = None
    ) -> dict[str, Any]:
        """The full body of a successful call; fails loudly on HTTP or top-level GraphQL errors."""
        status, body = await self.graphql_response(query, variables, version=version)
        assert status == 200 and "errors" not in body, body
        return body

    async def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}/_sandbox/{self.handle}/{path}"
        async with self.session.request(method, url, json=body) as response:
            assert response.status < 300, await response.text()
            return await response.json()

    async def set_faults(self, **settings: Any) -> None:
        """Change the emulator-wide fault settings (``/_sandbox/faults``)."""
        async with self.session.put(f"{self.base_url}/_sandbox/faults", json=settings) as response:
            assert response.status == 200, await response.text()

    async def place_order(self, body: dict[str, Any]) -> dict[str, Any]:
        return (await self.control("POST", "orders", body))["order"]

    async def state(self) -> dict[str, Any]:
        return await self.control("GET", "state")


@contextlib.asynccontextmanager
async def running(
    emulator: ShopifyEmulator, handle: str | None = None, version: str = DEFAULT_VERSION
) -> AsyncIterator[ShopClient]:
    """Serve ``emulator`` and yield a client for one of its shops (the first by default)."""
    spec = emulator.shops[handle or next(iter(emulator.shops))].spec
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield ShopClient(session, base_url, spec.handle, spec.access_token, version)


class WebhookReceiver:
    """Records every POST; answers ``fail_first`` of them with ``failure_status`` before answering 200."""

    def __init__(self, fail_first: int = 0, failure_status: int = 500) -> None:
        self.fail_first = fail_first
        self.failure_status = failure_status
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.app = web.Application()
        self.app.router.add_post("/{tail:.*}", self._receive)

    async def _receive(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        failing = len(self.requests) <= self.fail_first
        return web.Response(status=self.failure_status if failing else 200)
