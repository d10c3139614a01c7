"""``run``: the daemon itself; refuses to start on config problems (exit 2, as ``check-config`` reports them)."""

from __future__ import annotations

from daemon.app import Program
from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report


def register(commands) -> None:
    parser = commands.add_parser("run", help="run the daemon (under systemd as a Type=notify service)")
    add_config_option(parser)
    parser.set_defaults(func=run)


async def run(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    return await Program(config).run()
