"""``migrate``: apply pending database migrations and exit."""

from __future__ import annotations

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report
from daemon.db.database import Database
from daemon.logs.setup import configure_logging


def register(commands) -> None:
    parser = commands.add_parser("migrate", help="apply database migrations")
    add_config_option(parser)
    parser.set_defaults(func=run_migrate)


async def run_migrate(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    configure_logging(config.daemon.log_level)
    database = Database(config.daemon.database_url, config.daemon.data_dir)
    await database.start(run_migrations=True)
    await database.close()
    return 0
