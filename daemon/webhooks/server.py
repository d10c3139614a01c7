"""The embedded HTTP listener: webhook routes and ``/healthz``.

A delivery is answered 200 only after its inbox row has committed; if the database cannot be
reached the answer is 503, so the sender retries and nothing is acknowledged that was not stored.
"""

from __future__ import annotations

from typing import AbstractSet, Awaitable, Callable

import asyncpg
import structlog
from aiohttp import web

from daemon.config.model import Config
from daemon.connectors.ongoing.connection import connection_name
from daemon.db.database import CONNECTION_ERRORS
from daemon.webhooks.deliveries import (
    RACKBEAT_CONNECTION,
    SHOPIFY,
    WOOCOMMERCE,
    Delivery,
    Outcome,
    Refusal,
    SignedShopSource,
    classify_ongoing,
    classify_rackbeat,
)
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import InboxStore

log = structlog.get_logger()  # lazy: follows configure_logging() done after import
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TokenSource = Callable[[], Awaitable[AbstractSet[str]]]  # e.g. SubscriptionManager.rackbeat_tokens


class WebhookReceiver:
    def __init__(self, config: Config, inbox: InboxStore, rackbeat_tokens: TokenSource) -> None:
        self._config = config
        self._inbox = inbox
        self._rackbeat_tokens = rackbeat_tokens

    def shop_route(self, source: SignedShopSource) -> Handler:
        async def receive(request: web.Request) -> web.Response:
            shop_id = request.match_info["shop_id"]
            body = await self._read(request, source.kind, shop_id)
            outcome = source.classify(self._config.shop(shop_id), request.headers, body)
            return await self._answer(outcome, source.kind, shop_id)

        return receive

    async def rackbeat(self, request: web.Request) -> web.Response:
        body = await self._read(request, RACKBEAT_CONNECTION, RACKBEAT_CONNECTION)
        try:
            tokens = await self._rackbeat_tokens()
        except CONNECTION_ERRORS as exc:
            log.error("webhook.tokens_unavailable", source=RACKBEAT_CONNECTION, error=exc)
            return web.Response(status=503, text="tokens unavailable, retry later")
        outcome = classify_rackbeat(tokens, request.headers, body)
        return await self._answer(outcome, RACKBEAT_CONNECTION, RACKBEAT_CONNECTION)

    async def ongoing(self, request: web.Request) -> web.Response:
        ongoing_id = request.match_info["ongoing_id"]
        warehouse = next((o for o in self._config.ongoing if o.id == ongoing_id), None)
        if warehouse is None:
            log.warning("webhook.refused", source="ongoing", connection=ongoing_id, reason="unknown warehouse")
            return web.Response(status=404, text="unknown warehouse")
        connection = connection_name(ongoing_id)
        body = await self._read(request, "ongoing", connection)
        token = warehouse.webhook_token.get_secret_value() if warehouse.webhook_token else None
        return await self._answer(classify_ongoing(token, connection, request.headers, body), "ongoing", connection)

    @staticmethod
    async def _read(request: web.Request, source: str, connection: str) -> bytes:
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook.refused", source=source, connection=connection, reason="body too large")
            raise

    async def _answer(self, outcome: Outcome, source: str, connection: str) -> web.Response:
        if isinstance(outcome, Refusal):
            log.warning("webhook.refused", source=source, connection=connection, reason=outcome.reason)
            return web.Response(status=outcome.status, text=outcome.reason)
        if not isinstance(outcome, Delivery):
            log.info("webhook.ping", source=source, connection=connection)
            return web.Response(text="pong")
        try:
            inbox_id = await self._store(outcome)
        except (*CONNECTION_ERRORS, asyncpg.PostgresError) as exc:
            log.error("webhook.store_failed", source=source, connection=connection, error=exc)
            if isinstance(exc, CONNECTION_ERRORS):
                return web.Response(status=503, text="inbox unavailable, retry later")
            return web.Response(status=500, text="the database refused this delivery")
        return web.Response(text="ok" if inbox_id is not None else "duplicate")

    async def _store(self, d: Delivery) -> int | None:
        where = dict(source=d.source, connection=d.connection, topic=d.topic, delivery_id=d.delivery_id)
        if d.problem is None:
            inbox_id = await self._inbox.store(d.source, d.connection, d.delivery_id, d.topic, d.body, d.headers)
            log.info("webhook.received", **where, inbox_id=inbox_id, duplicate=inbox_id is None)
        else:
            inbox_id = await self._inbox.store_rejected(
                d.source, d.connection, d.delivery_id, d.topic, d.body, d.headers, d.problem
            )
            log.warning("webhook.rejected", **where, inbox_id=inbox_id, reason=d.problem)
        return inbox_id


def health_route(health: HealthReporter) -> Handler:
    async def healthz(_: web.Request) -> web.Response:
        report = await health.report()
        return web.json_response(report, status=200 if report["database"] else 503)

    return healthz


def configured_rackbeat_token(config: Config) -> TokenSource:
    """Only ``rackbeat.webhook_token``: for a listener without the daemon's own subscriptions."""
    token = config.rackbeat.webhook_token
    tokens = frozenset([token.get_secret_value()] if token is not None else [])

    async def current() -> AbstractSet[str]:
        return tokens

    return current


def build_webhook_app(
    config: Config, inbox: InboxStore, health: HealthReporter, rackbeat_tokens: TokenSource | None = None
) -> web.Application:
    """``rackbeat_tokens``: every token a Rackbeat delivery may carry (default: the configured one)."""
    app = web.Application(client_max_size=config.daemon.webhook_max_body)
    receiver = WebhookReceiver(config, inbox, rackbeat_tokens or configured_rackbeat_token(config))
    app.router.add_post("/webhooks/shopify/{shop_id}", receiver.shop_route(SHOPIFY))
    app.router.add_post("/webhooks/woocommerce/{shop_id}", receiver.shop_route(WOOCOMMERCE))
    app.router.add_post("/webhooks/rackbeat", receiver.rackbeat)
    app.router.add_post("/webhooks/ongoing/{ongoing_id}", receiver.ongoing)
    app.router.add_get("/healthz", health_route(health))
    return app
