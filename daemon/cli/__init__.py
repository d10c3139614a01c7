"""``rackbeat-sync`` command line: one module per command group, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys

from daemon.cli import config_cmd, jobs_cmd, migrate_cmd, ongoing_cmd, orders_cmd, products_cmd, run_cmd, sandbox_cmd, stock_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rackbeat-sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run_cmd, config_cmd, migrate_cmd, jobs_cmd, sandbox_cmd, orders_cmd, stock_cmd, products_cmd, ongoing_cmd):
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = args.func(args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    sys.stdout.flush()
    return int(result or 0)
