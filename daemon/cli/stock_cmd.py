"""``reconcile-stock --shop ID``: ask the running daemon(s) for a full stock reconcile of one shop now.

The reconcile runs as a job in the daemon (it needs the shop's client and rate limiter); this command
only queues it, coalesced with any reconcile already pending for that shop.
"""

from __future__ import annotations

import sys

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.db.database import Database
from daemon.logs.setup import configure_logging
from daemon.queue.store import JobQueue
from daemon.sync.stock.reconcile import enqueue_reconcile

EXIT_USAGE = 2


def register(commands) -> None:
    parser = commands.add_parser("reconcile-stock", help="relink a shop and push all its stock levels now")
    add_config_option(parser)
    parser.add_argument("--shop", required=True, help="the shop id from the config")
    parser.set_defaults(func=reconcile_stock)


async def reconcile_stock(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    shop = next((s for s in config.shops if s.id == args.shop), None)
    if shop is None or not shop.stock.enabled:
        known = ", ".join(s.id for s in config.shops if s.stock.enabled) or "none"
        print(f"reconcile-stock: no shop {args.shop!r} with stock sync on (shops with stock sync: {known})",
              file=sys.stderr)
        return EXIT_USAGE
    configure_logging(config.daemon.log_level, stream=sys.stderr)  # keep stdout for the answer
    database = Database(config.daemon.database_url, config.daemon.data_dir, min_size=1, max_size=2)
    await database.start()
    try:
        job_id = await enqueue_reconcile(JobQueue(database), shop.id)
    finally:
        await database.close()
    if job_id is None:
        print(f"a stock reconcile of {shop.id} is already queued")
    else:
        print(f"stock reconcile of {shop.id} queued as job {job_id}")
    return 0
