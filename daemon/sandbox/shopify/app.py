"""``ShopifyEmulator``: one aiohttp server for many shops, routed by path prefix.

A shop's ``api_url`` is ``http://127.0.0.1:PORT/{handle}``; the daemon appends
``/admin/api/{version}/graphql.json``. Control routes live under ``/_sandbox/{handle}/``.
"""

from __future__ import annotations

from aiohttp import web

from ..common import Clock, Faults, add_fault_control, fault_middleware
from .catalog import apply_seed
from .control import ControlRoutes
from .endpoint import GraphQLEndpoint
from .spec import ShopifySeed, ShopSpec
from .store import ShopState
from .throttle import LeakyBucket
from .webhooks import WebhookDispatcher

REST_THROTTLE_MESSAGE = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
)


def _throttled(_: web.Request) -> web.Response:
    """An injected 429 looks like Shopify's REST-style refusal, with Retry-After in seconds."""
    return web.json_response({"errors": REST_THROTTLE_MESSAGE}, status=429, headers={"Retry-After": "2.0"})


class ShopifyEmulator:
    def __init__(
        self, shops: list[ShopSpec], *, faults: Faults | None = None, clock: Clock | None = None
    ) -> None:
        self.faults = faults or Faults()
        self.clock = clock or Clock()
        self.webhooks = WebhookDispatcher(self.clock)
        self.shops: dict[str, ShopState] = {}
        self.buckets: dict[str, LeakyBucket] = {}
        for spec in shops:
            state = ShopState(spec, publish=self._publisher(spec.handle))
            apply_seed(state, spec.seed or ShopifySeed())
            self.shops[spec.handle] = state
            self.buckets[spec.handle] = LeakyBucket(spec.bucket_size, spec.restore_rate)
        self.app = web.Application(middlewares=[fault_middleware(self.faults, throttled=_throttled)])
        add_fault_control(self.app, self.faults)
        ControlRoutes(self.shops, self.webhooks).register(self.app)
        self.app.router.add_post(
            "/{handle}/admin/api/{version}/graphql.json", GraphQLEndpoint(self.shops, self.buckets).handle
        )
        self.app.on_cleanup.append(self._close)

    def _publisher(self, handle: str):
        return lambda topic, payload: self.webhooks.trigger(self.shops[handle], topic, payload)

    async def drain_webhooks(self) -> None:
        await self.webhooks.drain()

    async def _close(self, _: web.Application) -> None:
        await self.webhooks.close()
