"""The Rackbeat emulator: an aiohttp application serving ``/api/...`` over an in-memory account."""

from __future__ import annotations

from aiohttp import web

from ..common import Clock, Faults, add_fault_control, fault_middleware
from .delivery import WebhookDispatcher
from .middleware import auth_middleware, error_middleware, suppression_middleware
from .ratelimit import RateLimiter
from .routes_catalog import catalog_routes
from .routes_inventory import inventory_routes
from .routes_parties import account_routes
from .routes_purchasing import purchasing_routes
from .routes_sales import sales_routes
from .routes_sandbox import sandbox_routes
from .routes_webhooks import webhook_routes
from .seed import RackbeatSeed
from .state import RackbeatState


class RackbeatEmulator:
    """Serve ``.app`` (e.g. with ``common.serve``) and point the daemon at ``<base>/api``.

    ``rate_window_s`` shortens the 60 s rate-limit window for tests that want to see it reset.
    """

    def __init__(
        self,
        token: str = "rb-sandbox-token",
        *,
        rate_limit_per_min: int = 480,
        seed: RackbeatSeed | None = None,
        faults: Faults | None = None,
        clock: Clock | None = None,
        rate_window_s: float = 60.0,
    ) -> None:
        self.token = token
        self.faults = faults or Faults()
        self.clock = clock or Clock()
        self.state = RackbeatState()
        (seed or RackbeatSeed()).apply(self.state)
        self.limiter = RateLimiter(rate_limit_per_min, rate_window_s)
        self.dispatcher = WebhookDispatcher(self.state.webhooks, self.state.account_id, self.clock)
        self.state.subscribers.append(self.dispatcher.publish)
        self.app = self._build_app()

    def _build_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                fault_middleware(self.faults, throttled=self.limiter.throttled),
                auth_middleware(self.token),
                self.limiter.middleware(),
                error_middleware,
                suppression_middleware,
            ]
        )
        for routes in (
            account_routes(self.state),
            catalog_routes(self.state),
            sales_routes(self.state),
            purchasing_routes(self.state),
            inventory_routes(self.state),
            webhook_routes(self.state),
            sandbox_routes(self.state, self.dispatcher),
        ):
            app.add_routes(routes)
        add_fault_control(app, self.faults)
        app.on_cleanup.append(self._close)
        return app

    async def drain_webhooks(self) -> None:
        """Wait until in-flight webhook deliveries (including retries) have settled."""
        await self.dispatcher.drain()

    async def _close(self, _: web.Application) -> None:
        await self.dispatcher.close()
