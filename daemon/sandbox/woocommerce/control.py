"""Test-only endpoints under ``/_sandbox/{handle}/``: act as a shopper or merchant, and look inside."""

from __future__ import annotations

from typing import Callable

from aiohttp import web

from ..common import CONTROL_PREFIX
from .models import ORDER_STATUSES
from .params import as_bool
from .site import Site
from .wire import RestError, invalid_params, raw_response, read_body

SiteLookup = Callable[[web.Request], Site]


def register(router: web.UrlDispatcher, site_of: SiteLookup) -> None:
    base = CONTROL_PREFIX + "/{handle}"

    async def place_order(request: web.Request) -> web.Response:
        """Checkout: ``{lines:[{sku, quantity, tax_rate}], billing, shipping, coupons:[{code, discount_type,
        amount}], shipping_line:{method_title, method_id, total, tax_rate}, status, payment_method, customer_note,
        ignore_stock}``. ``tax_rate`` is a percentage; ``status`` defaults to processing."""
        site = site_of(request)
        order = site.orders.place(await read_body(request))
        return raw_response(site.serializer.order(order), status=201)

    async def set_status(request: web.Request) -> web.Response:
        """The merchant changes an order's status in wp-admin (``trash`` moves it to the trash)."""
        site = site_of(request)
        order = site.orders.get(int(request.match_info["id"]))
        status = (await read_body(request)).get("status")
        if status == "trash":
            site.orders.delete(order, force=False)
        elif status in ORDER_STATUSES:
            site.orders.transition(order, status)
        else:
            raise invalid_params({"status": f"status is not one of {', '.join(ORDER_STATUSES)}, trash."})
        return raw_response(site.serializer.order(order))

    async def state(request: web.Request) -> web.Response:
        return raw_response(site_of(request).state())

    async def activate_webhook(request: web.Request) -> web.Response:
        """The merchant re-enables a webhook in wp-admin (pings when its first delivery is still pending)."""
        site = site_of(request)
        webhook = await site.webhooks.update(site.webhooks.get(int(request.match_info["id"])), {"status": "active"})
        return raw_response(site.webhooks.to_json(webhook))

    async def configure_queue(request: web.Request) -> web.Response:
        """``{paused, delay}``: hold deliveries (to coalesce deterministically) or delay them like WP-Cron."""
        site = site_of(request)
        body = await read_body(request)
        site.queue.configure(
            paused=as_bool(body["paused"]) if "paused" in body else None,
            delay=float(body["delay"]) if "delay" in body else None,
        )
        return raw_response({"paused": site.queue.paused, "delay": site.queue.delay})

    router.add_post(base + "/orders", place_order)
    router.add_post(base + r"/orders/{id:\d+}/status", set_status)
    router.add_get(base + "/state", state)
    router.add_post(base + r"/webhooks/{id:\d+}/activate", activate_webhook)
    router.add_put(base + "/webhooks/queue", configure_queue)


def unknown_site(handle: str) -> RestError:
    return RestError("sandbox_unknown_site", f"No emulated site {handle!r}.", 404)
