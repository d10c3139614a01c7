"""The daemon's own webhook subscriptions, over real HTTP against the three emulators, on real PostgreSQL.

Each reconcile runs the way the program runs it: as a poll stream under a Poller. What exists is read
from the emulators' state, which is what their own APIs serve.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import AsyncIterator

import aiohttp

from daemon.config.model import Config
from daemon.connectors.rackbeat.client import RackbeatClient
from daemon.connectors.shops import create_shop_clients
from daemon.db.database import Database
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.pollers.base import Poller, RunOutcome
from daemon.sandbox.common import Clock, free_port, serve
from daemon.sandbox.rackbeat import RackbeatEmulator
from daemon.sandbox.shopify import ShopifyEmulator, ShopSpec
from daemon.sandbox.woocommerce import SiteSpec, WooEmulator
from daemon.sync.order_flow.handlers import SHOPIFY_ORDER_TOPICS, WOO_ORDER_TOPICS
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import InboxStore
from daemon.webhooks.server import build_webhook_app
from daemon.webhooks.subscriptions import SubscriptionManager

SHOPIFY_TOPICS = (*SHOPIFY_ORDER_TOPICS, "products/create", "products/update")
WOO_TOPICS = (*WOO_ORDER_TOPICS, "product.created", "product.updated")
RACKBEAT_EVENTS = ("inventory.changed", "order.shipped", "product.created", "product.updated")
ROUTES = [
    *(("shopify", topic) for topic in SHOPIFY_TOPICS),
    *(("woocommerce", topic) for topic in WOO_TOPICS),
    *(("rackbeat", event) for event in RACKBEAT_EVENTS),
    ("poll", "rackbeat.order"),  # polled: nothing to subscribe to
]
SHOPIFY_GRAPHQL_TOPICS = {topic.replace("/", "_").upper() for topic in SHOPIFY_TOPICS}


@dataclass
class World:
    shopify: ShopifyEmulator
    woo: WooEmulator
    rackbeat: RackbeatEmulator
    rackbeat_url: str
    listener_url: str
    db: Database
    config: Config
    clients: tuple[RackbeatClient, dict[str, object]]
    manager: SubscriptionManager
    pollers: list[Poller]

    def manager_at(self, public_url: str) -> SubscriptionManager:
        """Another daemon's manager on the same database, with its own public URL."""
        config = self.config.model_copy(
            update={"daemon": self.config.daemon.model_copy(update={"public_url": public_url})}
        )
        return SubscriptionManager(config, self.db, *self.clients, ROUTES)

    @property
    def shop_subscriptions(self) -> list[tuple[str, str]]:
        """Shop ``acme``'s subscriptions as (REST topic, uri), sorted."""
        return sorted((s.topic, s.uri) for s in self.shopify.shops["acme"].webhook_subscriptions.values())

    @property
    def woo_hooks(self):
        return list(self.woo.sites["woo"].webhooks.webhooks.values())

    @property
    def rackbeat_hooks(self):
        return list(self.rackbeat.state.webhooks.hooks.values())

    async def reconcile(self) -> None:
        assert [await poller.run_once(force=True) for poller in self.pollers] == [RunOutcome.COMPLETED] * 3


def make_config(listener_url: str, rackbeat_url: str, shopify_url: str, woo_url: str) -> Config:
    return Config.model_validate(
        {
            "daemon": {"public_url": listener_url + "/"},
            "rackbeat": {"api_url": f"{rackbeat_url}/api", "token": "rb-token", "webhook_token": "hand-made-token"},
            "shops": [
                {"id": "acme", "type": "shopify", "api_url": f"{shopify_url}/acme", "access_token": "shpat",
                 "webhook_secret": "shopify-secret"},
                {"id": "woo", "type": "woocommerce", "api_url": f"{woo_url}/woo", "consumer_key": "ck_w",
                 "consumer_secret": "cs_w", "webhook_secret": "woo-secret"},
            ],
        }
    )


def limiters(config: Config) -> RateLimiters:
    names = ["rackbeat", *(shop.id for shop in config.shops)]
    return RateLimiters(RateLimiter(name, per_second=100, burst=100, concurrency=4) for name in names)


@contextlib.asynccontextmanager
async def open_world(db, *, listener_checks_tokens: bool = False) -> AsyncIterator[World]:
    """The three emulators, the daemon's clients and subscription manager, and its real listener.

    ``listener_checks_tokens`` builds the listener with the manager's token source (the proposed
    ``build_webhook_app(..., rackbeat_tokens=...)``); without it the listener only knows the configured token.
    """
    shopify = ShopifyEmulator([ShopSpec("acme", "shpat", "shopify-secret")], clock=Clock(0))
    woo = WooEmulator([SiteSpec("woo", "ck_w", "cs_w", "woo-secret")])
    rackbeat = RackbeatEmulator("rb-token", clock=Clock(0))
    async with contextlib.AsyncExitStack() as stack:
        urls = [await stack.enter_async_context(serve(e.app)) for e in (rackbeat, shopify, woo)]
        port = free_port()
        config = make_config(f"http://127.0.0.1:{port}", *urls)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        limits = limiters(config)
        clients = (
            RackbeatClient.create(config.rackbeat, session, limits["rackbeat"]),
            create_shop_clients(config.shops, session, limits),
        )
        manager = SubscriptionManager(config, db, *clients, ROUTES)
        inbox = InboxStore(db)
        extra = {"rackbeat_tokens": manager.rackbeat_tokens} if listener_checks_tokens else {}
        app = build_webhook_app(config, inbox, HealthReporter(db, config), **extra)
        listener_url = await stack.enter_async_context(serve(app, port=port))
        pollers = [Poller(stream, db.pool, inbox) for stream in manager.streams]
        yield World(shopify, woo, rackbeat, urls[0], listener_url, db, config, clients, manager, pollers)


async def stored(db, connection: str) -> dict[str, tuple]:
    rows = await db.pool.fetch(
        "SELECT topic, remote_id, token, created_at FROM webhook_subscriptions WHERE connection = $1", connection
    )
    assert len(rows) == len({r["topic"] for r in rows}), "one address only"
    return {r["topic"]: (r["remote_id"], r["token"], r["created_at"]) for r in rows}


async def test_reconcile_creates_every_wanted_subscription_once(db):
    async with open_world(db) as world:
        url = world.listener_url
        await world.reconcile()

        assert world.shop_subscriptions == sorted((topic, f"{url}/webhooks/shopify/acme") for topic in SHOPIFY_TOPICS)
        woo = world.woo_hooks
        assert sorted(h.topic for h in woo) == sorted(WOO_TOPICS)
        assert {(h.status, h.delivery_url, h.secret, h.pending_delivery) for h in woo} == {
            ("active", f"{url}/webhooks/woocommerce/woo", "woo-secret", False)  # each ping answered 200
        }
        hooks = world.rackbeat_hooks
        assert sorted(h.event for h in hooks) == sorted(RACKBEAT_EVENTS)
        assert {h.url for h in hooks} == {f"{url}/webhooks/rackbeat"}
        rows = await stored(db, "rackbeat")
        assert {event: (remote_id, token) for event, (remote_id, token, _) in rows.items()} == {
            h.event: (str(h.id), h.token) for h in hooks
        }
        assert await world.manager.rackbeat_tokens() == {h.token for h in hooks} | {"hand-made-token"}
        assert set(await stored(db, "acme")) == SHOPIFY_GRAPHQL_TOPICS
        assert set(await stored(db, "woo")) == set(WOO_TOPICS)

        before = {c: await stored(db, c) for c in ("acme", "woo", "rackbeat")}
        await world.reconcile()
        assert len(world.shop_subscriptions) == len(SHOPIFY_TOPICS)
        assert len(world.woo_hooks) == len(WOO_TOPICS) and len(world.rackbeat_hooks) == len(RACKBEAT_EVENTS)
        assert {c: await stored(db, c) for c in ("acme", "woo", "rackbeat")} == before
        pings = [entry for entry in world.woo.sites["woo"].webhooks.log if entry["kind"] == "ping"]
        assert len(pings) == len(WOO_TOPICS)  # one per webhook, at its creation
        assert await db.pool.fetchval("SELECT count(*) FROM inbox") == 0  # the streams store no items


async def test_a_shopify_subscription_deleted_after_exhausted_retries_is_created_again(db):
    async with open_world(db) as world:
        await world.reconcile()
        subscriptions = world.shopify.shops["acme"].webhook_subscriptions
        gone = next(s for s in subscriptions.values() if s.topic == "orders/paid")
        del subscriptions[gone.id]  # what the emulator does once its 8 retries have failed

        await world.reconcile()

        assert [topic for topic, _ in world.shop_subscriptions] == sorted(SHOPIFY_TOPICS)
        again = next(s for s in subscriptions.values() if s.topic == "orders/paid")
        remote_id, _, created_at = (await stored(db, "acme"))["ORDERS_PAID"]
        assert again.id != gone.id and remote_id == f"gid://shopify/WebhookSubscription/{again.id}"
        assert created_at is not None


async def test_a_disabled_woo_webhook_is_reactivated(db):
    async with open_world(db) as world:
        await world.reconcile()
        hook = next(h for h in world.woo_hooks if h.topic == "order.updated")
        hook.status = "disabled"  # what WooCommerce does after the 7th failed delivery in a row
        hook.secret = "secret-before-rotation"  # say the failures were 401s after the secret was rotated

        await world.reconcile()

        assert (hook.status, hook.secret) == ("active", "woo-secret")
        assert len(world.woo_hooks) == len(WOO_TOPICS)


async def test_rackbeat_subscription_with_unknown_token_is_replaced_and_a_disabled_one_reactivated(db):
    async with open_world(db) as world:
        registry = world.rackbeat.state.webhooks
        by_hand, _ = registry.upsert({"event": "order.shipped", "url": f"{world.listener_url}/webhooks/rackbeat"})

        await world.reconcile()

        assert by_hand.id not in registry.hooks  # its token was never shown to the daemon
        shipped = next(h for h in world.rackbeat_hooks if h.event == "order.shipped")
        assert (await stored(db, "rackbeat"))["order.shipped"][:2] == (str(shipped.id), shipped.token)

        shipped.is_active = False
        await world.reconcile()
        assert shipped.is_active and registry.hooks[shipped.id] is shipped


async def test_two_processes_reconciling_at_once_create_each_subscription_once(db, database_url, tmp_path):
    other_db = Database(database_url, tmp_path)
    await other_db.start()
    try:
        async with open_world(db) as world:
            inbox = InboxStore(other_db)
            twins = [Poller(stream, other_db.pool, inbox) for stream in world.manager.streams]
            outcomes = await asyncio.gather(
                *(poller.run_once(force=True) for pair in zip(world.pollers, twins) for poller in pair)
            )
            assert RunOutcome.FAILED not in outcomes
            assert [topic for topic, _ in world.shop_subscriptions] == sorted(SHOPIFY_TOPICS)
            assert sorted(h.topic for h in world.woo_hooks) == sorted(WOO_TOPICS)
            assert sorted(h.event for h in world.rackbeat_hooks) == sorted(RACKBEAT_EVENTS)
    finally:
        await other_db.close()


async def test_a_rackbeat_delivery_passes_the_listener_with_the_stored_token(db):
    async with open_world(db, listener_checks_tokens=True) as world:
        await world.reconcile()
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{world.rackbeat_url}/_sandbox/stock", json={"product": "P0001", "delta": 1}):
                pass
            await world.rackbeat.drain_webhooks()
            [delivery] = world.rackbeat.dispatcher.log
            assert (delivery["event"], delivery["status"]) == ("inventory.changed", 200)
            rows = await db.pool.fetch("SELECT topic, status FROM inbox WHERE source = 'rackbeat'")
            assert [(r["topic"], r["status"]) for r in rows] == [("inventory.changed", "received")]

            async def send(token: str) -> int:
                headers = {"Rackbeat-Webhook-Token": token}
                body = {"key": "P0002", "key_name": "number", "event": "product.updated", "data": {}}
                async with session.post(f"{world.listener_url}/webhooks/rackbeat", json=body, headers=headers) as r:
                    return r.status

            assert await send("not-a-token-we-know") == 401
            assert await send("hand-made-token") == 200  # rackbeat.webhook_token still counts


async def test_daemons_with_different_public_urls_keep_their_own_subscriptions_and_tokens(db):
    async with open_world(db) as world:
        await world.reconcile()
        other = world.manager_at(f"http://127.0.0.1:{free_port()}")  # nothing listens: Woo pings fail, harmlessly
        inbox = InboxStore(db)
        assert [await Poller(s, db.pool, inbox).run_once() for s in other.streams] == [RunOutcome.COMPLETED] * 3
        await world.reconcile()  # each address has its own schedule, and one leaves the other's alone

        assert len(world.shop_subscriptions) == 2 * len(SHOPIFY_TOPICS)
        assert len(world.woo_hooks) == 2 * len(WOO_TOPICS)
        hooks = world.rackbeat_hooks
        assert len(hooks) == 2 * len(RACKBEAT_EVENTS)
        every_token = {h.token for h in hooks} | {"hand-made-token"}
        assert await world.manager.rackbeat_tokens() == await other.rackbeat_tokens() == every_token


async def test_without_a_public_url_nothing_is_subscribed_and_only_the_configured_token_counts(db):
    async with open_world(db) as world:
        manager = world.manager_at("")
        assert manager.streams == []
        assert await manager.rackbeat_tokens() == {"hand-made-token"}
