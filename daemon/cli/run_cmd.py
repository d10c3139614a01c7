"""``run``: the daemon itself; refuses to start on config problems (exit 2, as ``check-config`` reports them)."""

from __future__ import annotations

import gc

from daemon.app import Program
from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report

# Allocations between young collections (Python's default: 700), then how many young collections per
# middle one and middle ones per full one (default: 10 each).
GC_THRESHOLDS = (20_000, 20, 20)


def register(commands) -> None:
    parser = commands.add_parser("run", help="run the daemon (under systemd as a Type=notify service)")
    add_config_option(parser)
    parser.set_defaults(func=run)


async def run(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    tune_garbage_collector()
    return await Program(config).run()


def tune_garbage_collector() -> None:
    """Under a burst every delivery is thousands of short-lived objects (its JSON, its order), and with
    Python's defaults the cyclic collector ran every few deliveries and kept re-scanning the whole
    program: 12 % of the daemon's CPU during the orders benchmark's 2,000-order burst (``perf``).
    What is loaded by now (modules, classes, config) is taken out of its sight for good, and it runs
    less often; the cyclic garbage it leaves meanwhile is a few megabytes at most."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
