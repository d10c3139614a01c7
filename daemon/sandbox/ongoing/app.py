"""The Ongoing WMS emulator: the goods-owner REST API v1 under ``/{warehouse}/api/v1`` plus ``/_sandbox``."""

from __future__ import annotations

from aiohttp import web

from ..common import Clock, Faults, add_fault_control, fault_middleware
from .middleware import (
    InFlight,
    auth_middleware,
    error_middleware,
    injected_error_shape,
    refuse_chunked,
    throttled,
)
from .routes_articles import article_routes
from .routes_inventory import inventory_routes
from .routes_orders import order_routes
from .routes_purchase_orders import purchase_order_routes
from .routes_sandbox import sandbox_routes
from .statuses import OrderStatuses, PurchaseOrderStatuses
from .store import Store
from .times import Stamps
from .warehouse import Warehouse


class OngoingEmulator:
    """Serve ``.app`` (e.g. with ``common.serve``) and point the daemon at ``<base>/{warehouse}/api/v1``.

    ``order_statuses`` / ``purchase_order_statuses`` replace the standard lists: give a plain list of
    ``(number, text)`` when the standard role numbers (Released 300, Picked 400, ...) still apply, or an
    :class:`OrderStatuses` / :class:`PurchaseOrderStatuses` naming the renumbered roles.
    ``clock`` is accepted for symmetry with the other emulators; Ongoing has no timed behaviour of its own.
    """

    def __init__(
        self,
        *,
        warehouse: str = "sandbox",
        user: str = "WSI-sandbox",
        password: str = "sandbox-password",
        goods_owner_id: int = 1,
        goods_owner_name: str = "Sandbox goods owner",
        order_statuses: OrderStatuses | list[tuple[int, str]] | None = None,
        purchase_order_statuses: PurchaseOrderStatuses | list[tuple[int, str]] | None = None,
        faults: Faults | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.warehouse_name = warehouse
        self.user = user
        self.password = password
        self.prefix = f"/{warehouse}/api/v1"
        self.faults = faults or Faults()
        self.clock = clock or Clock()
        if not isinstance(order_statuses, OrderStatuses):
            order_statuses = OrderStatuses(order_statuses)
        if not isinstance(purchase_order_statuses, PurchaseOrderStatuses):
            purchase_order_statuses = PurchaseOrderStatuses(purchase_order_statuses)
        self.store = Store(
            goods_owner_id=goods_owner_id,
            goods_owner_name=goods_owner_name,
            order_statuses=order_statuses,
            purchase_order_statuses=purchase_order_statuses,
            stamps=Stamps(),
        )
        self.warehouse = Warehouse(self.store)
        self.in_flight = InFlight(self.prefix)
        self.app = self._build_app()

    @property
    def max_concurrency_seen(self) -> int:
        return self.in_flight.max_seen

    def _build_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                self.in_flight.middleware(),
                refuse_chunked,
                injected_error_shape,
                fault_middleware(self.faults, throttled=throttled),
                auth_middleware(self.prefix, self.user, self.password),
                error_middleware,
            ]
        )
        for routes in (
            article_routes(self.prefix, self.store),
            order_routes(self.prefix, self.store),
            purchase_order_routes(self.prefix, self.store),
            inventory_routes(self.prefix, self.store),
            sandbox_routes(self.store, self.warehouse, self.in_flight),
        ):
            app.add_routes(routes)
        add_fault_control(app, self.faults)
        return app
