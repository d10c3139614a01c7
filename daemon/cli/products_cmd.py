"""``initial-sync --shop ID [--products] [--stock] [--dry-run]``: import a shop's catalogue into Rackbeat.

Without ``--products`` or ``--stock`` the products are imported. Run it again after an interruption:
it resumes where it stopped, and nothing is created or adjusted twice. Progress goes to stderr, the
report to stdout; exit 1 when the run stopped early (e.g. an API was unreachable), to be resumed.
"""

from __future__ import annotations

import sys
from contextlib import AsyncExitStack

import aiohttp

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.config.model import Config, ShopConfig
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.rackbeat.connection import CONNECTION as RACKBEAT
from daemon.connectors.shopify import ShopifyClient
from daemon.connectors.shops import create_shop_clients
from daemon.db.database import Database
from daemon.db.locks import INITIAL_SYNC_LOCKS, try_session_lock
from daemon.errors import SyncError
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.logs.setup import configure_logging, get_logger
from daemon.queue.store import JobQueue
from daemon.sync.products.catalog_pages import Catalog, ShopifyCatalog, WooCatalog
from daemon.sync.products.importers import DryImport, Importer, LiveImport
from daemon.sync.products.initial_sync import InitialSync, Parts
from daemon.sync.products.model import Pricing
from daemon.sync.products.progress import Progress, report_lines
from daemon.sync.products.rackbeat_products import RackbeatProducts
from daemon.sync.products.stock_import import StockImport
from daemon.sync.products.sync_store import InitialSyncStore

log = get_logger()
EXIT_USAGE, EXIT_STOPPED = 2, 1


class AlreadyRunning(SyncError):
    """Another process is running the initial sync of this shop."""


def register(commands) -> None:
    parser = commands.add_parser("initial-sync", help="import a shop's products (and stock) into Rackbeat")
    add_config_option(parser)
    parser.add_argument("--shop", required=True, help="the shop id from the config")
    parser.add_argument("--products", action="store_true", help="import products (linking existing ones by SKU)")
    parser.add_argument("--stock", action="store_true", help="import stock levels as booked adjustments")
    parser.add_argument("--dry-run", action="store_true", help="only report what would happen")
    parser.set_defaults(func=initial_sync)


async def initial_sync(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    shop = config.shop(args.shop)
    if shop is None:
        print(f"initial-sync: no shop {args.shop!r} in the config", file=sys.stderr)
        return EXIT_USAGE
    parts = Parts(products=args.products or not args.stock, stock=args.stock)
    if parts.stock and shop.stock.location is None:
        print(f"initial-sync: shop {shop.id!r} has no stock.location to import stock into", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(config.daemon.log_level, stream=sys.stderr)  # stdout is for the report
    async with AsyncExitStack() as stack:
        pool_size = config.rackbeat.rate.concurrency + 2
        database = Database(config.daemon.database_url, config.daemon.data_dir, min_size=1, max_size=pool_size)
        await database.start()
        stack.push_async_callback(database.close)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        limiter = RateLimiter.from_config(RACKBEAT, config.rackbeat.rate)
        rackbeat = RackbeatClient.create(config.rackbeat, session, limiter)
        try:
            report = await _run(config, shop, parts, args.dry_run, database, session, rackbeat)
        except SyncError as exc:
            log.error("initial_sync.stopped", shop=shop.id, reason=exc.reason)
            hint = "" if isinstance(exc, AlreadyRunning) else "\nrun the same command again to resume"
            print(f"initial-sync stopped: {exc.reason}{hint}", file=sys.stderr)
            return EXIT_STOPPED
    print("\n".join(report_lines(shop.id, report, dry_run=args.dry_run)))
    return 0


async def _run(config: Config, shop: ShopConfig, parts: Parts, dry_run: bool, database, session, rackbeat):
    catalog = _catalog(shop, session)
    progress = Progress(sys.stderr, shop.id)
    concurrency = config.rackbeat.rate.concurrency
    if dry_run:
        sync = InitialSync(shop.id, catalog, DryImport(rackbeat), None, progress, parts, concurrency=concurrency)
        return await sync.run()
    async with try_session_lock(database.pool, INITIAL_SYNC_LOCKS, shop.id) as held:
        if not held:
            raise AlreadyRunning(f"another initial sync of shop {shop.id!r} is running")
        return await _live(shop, parts, catalog, progress, concurrency, database, rackbeat)


async def _live(
    shop: ShopConfig, parts: Parts, catalog: Catalog, progress: Progress, concurrency: int, database, rackbeat
):
    store = InitialSyncStore(database, shop.id)
    run = await store.open_run(products=parts.products, stock=parts.stock)
    stock = StockImport(rackbeat, shop.id, shop.stock.location) if parts.stock else None
    importer: Importer = LiveImport(
        RackbeatProducts(rackbeat, JobQueue(database), database),
        shop.id,
        Pricing.of(shop.products),
        shop.products.product_group,
        stock,
    )
    return await InitialSync(shop.id, catalog, importer, store, progress, parts, concurrency=concurrency).run(run)


def _catalog(shop: ShopConfig, session: aiohttp.ClientSession) -> Catalog:
    limiters = RateLimiters([RateLimiter.from_config(shop.id, shop.effective_rate)])
    client = create_shop_clients([shop], session, limiters)[shop.id]
    return ShopifyCatalog(client) if isinstance(client, ShopifyClient) else WooCatalog(client)
