"""``ongoing stock-compare``: list every SKU whose stock differs between Rackbeat's mapped location
and the Ongoing warehouse. Exit 0 when all agree, 1 when some differ."""

from __future__ import annotations

import sys

import aiohttp

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.cli.jobs_cmd import format_table
from daemon.config.model import Config
from daemon.connectors.ongoing import create_ongoing_clients
from daemon.connectors.rackbeat import RackbeatClient
from daemon.connectors.rackbeat.connection import CONNECTION as RACKBEAT
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.logs.setup import configure_logging
from daemon.sync.ongoing.compare import StockDifference, stock_compare

EXIT_USAGE = 2
COLUMNS = ("ongoing", "sku", "rackbeat", "ongoing_qty", "delta")


def register(commands) -> None:
    parser = commands.add_parser("ongoing", help="Ongoing WMS tools")
    actions = parser.add_subparsers(dest="ongoing_action", required=True, metavar="ACTION")
    compare = actions.add_parser("stock-compare", help="SKUs whose stock differs between Rackbeat and Ongoing")
    add_config_option(compare)
    compare.add_argument("--ongoing", metavar="ID", help="only this warehouse (an [[ongoing]] id)")
    compare.set_defaults(func=compare_stock)


async def compare_stock(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    chosen = [o for o in config.ongoing if args.ongoing in (None, o.id)]
    if not chosen:
        print(f"ongoing stock-compare: no Ongoing warehouse {args.ongoing or ''} configured".strip(), file=sys.stderr)
        return EXIT_USAGE
    configure_logging(config.daemon.log_level, stream=sys.stderr)  # keep stdout for the answer
    rows = await _compare(config, [o.id for o in chosen])
    print(format_table(COLUMNS, rows) if rows else "stock agrees for every SKU")
    return 1 if rows else 0


async def _compare(config: Config, ongoing_ids: list[str]) -> list[tuple[str, ...]]:
    limiters = RateLimiters([RateLimiter.from_config(RACKBEAT, config.rackbeat.rate)])
    async with aiohttp.ClientSession() as session:
        rackbeat = RackbeatClient.create(config.rackbeat, session, limiters[RACKBEAT])
        clients = create_ongoing_clients(config, session, limiters)
        rows = []
        for ongoing in config.ongoing:
            if ongoing.id in ongoing_ids:
                found = await stock_compare(rackbeat, clients[ongoing.id], ongoing.location)
                rows += [_row(ongoing.id, difference) for difference in found]
        return rows


def _row(ongoing_id: str, difference: StockDifference) -> tuple[str, ...]:
    return (
        ongoing_id,
        difference.sku,
        _text(difference.rackbeat),
        _text(difference.ongoing),
        ("+" if difference.delta > 0 else "") + _text(difference.delta),
    )


def _text(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
