"""``backfill-orders --shop ID --since DATE``: transfer the orders a shop had before the daemon's start date.

The daemon leaves orders created before a shop's ``start_date`` alone: they are history. This command
reads the shop's orders created on or after DATE (UTC) through the shop's API and puts each through the
order intake as a backfill, which queues its transfer; the daemon's workers then transfer it like any
other order, exactly once. Safe to repeat: a transferred order is never queued again. Orders not at
the shop's trigger (unpaid, cancelled) are counted in the report and left alone.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from contextlib import AsyncExitStack, suppress

import aiohttp

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.config.model import ShopConfig
from daemon.connectors.shops import create_shop_clients
from daemon.db.commits import flush_commits
from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.errors import SyncError
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.logs.setup import configure_logging, get_logger
from daemon.pollers.shop_streams import shop_streams
from daemon.queue.store import JobQueue
from daemon.sync.order_flow.handlers import (
    MAPPERS,
    POLLED_SHOPIFY_ORDER,
    POLLED_WOO_ORDER,
    SHOPIFY_GRAPHQL,
    WOOCOMMERCE,
)
from daemon.sync.order_flow.intake import OrderIntake, Sighting
from daemon.sync.order_flow.links import OrderLinks

log = get_logger()
EXIT_USAGE, EXIT_STOPPED = 2, 1
PAYLOAD_FORMATS = {POLLED_SHOPIFY_ORDER: SHOPIFY_GRAPHQL, POLLED_WOO_ORDER: WOOCOMMERCE}  # of the polled items


def register(commands) -> None:
    parser = commands.add_parser("backfill-orders", help="transfer a shop's orders created before its start_date")
    add_config_option(parser)
    parser.add_argument("--shop", required=True, help="the shop id from the config")
    parser.add_argument(
        "--since", required=True, type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
        help="orders created on or after this day (UTC)",
    )  # fmt: skip
    parser.set_defaults(func=backfill_orders)


async def backfill_orders(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    shop = config.shop(args.shop)
    if shop is None or not shop.orders.enabled:
        problem = "no shop" if shop is None else "order sync is off for shop"
        print(f"backfill-orders: {problem} {args.shop!r} in the config", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(config.daemon.log_level, stream=sys.stderr)  # stdout is for the report
    since = dt.datetime.combine(args.since, dt.time(), tzinfo=dt.timezone.utc)
    outcomes: Counter[str] = Counter()
    async with AsyncExitStack() as stack:
        database = Database(config.daemon.database_url, config.daemon.data_dir, min_size=1, max_size=2)
        await database.start()
        stack.push_async_callback(database.close)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        try:
            await _backfill(shop, since, database, session, outcomes)
        except SyncError as exc:
            log.error("backfill.stopped", shop=shop.id, reason=exc.reason)
            print(f"backfill-orders stopped: {exc.reason}\nrun the same command again to go on", file=sys.stderr)
            return EXIT_STOPPED
        finally:
            with suppress(*CONNECTION_ERRORS):  # the intake commits unflushed; the report must hold after a crash
                async with database.pool.acquire() as conn:
                    await flush_commits(conn)
            print(report(shop.id, args.since, outcomes))
    return 0


async def _backfill(
    shop: ShopConfig, since: dt.datetime, database: Database, session: aiohttp.ClientSession, outcomes: Counter[str]
) -> None:
    """Page the shop's orders changed since ``since`` (a superset of those created since) into the intake."""
    limiters = RateLimiters([RateLimiter.from_config(shop.id, shop.effective_rate)])
    [stream] = shop_streams(create_shop_clients([shop], session, limiters), [shop])
    intake = OrderIntake(database, JobQueue(database), OrderLinks(), {shop.id: shop})
    async for item in stream.fetch(since, dt.datetime.now(dt.timezone.utc)):
        payload_format = PAYLOAD_FORMATS[item.topic]
        order = MAPPERS[payload_format](item.body, shop.id)
        if order.created_at >= since:
            outcomes[await intake.accept(Sighting(order, payload_format, item.body, backfill=True))] += 1


def report(shop_id: str, since: dt.date, outcomes: Counter[str]) -> str:
    """``shopify-main: 12 orders created since 2026-11-01: 10 queued, 2 already_transferred``."""
    counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    return f"{shop_id}: {sum(outcomes.values())} orders created since {since.isoformat()}" + (
        f": {counts}" if counts else ""
    )
