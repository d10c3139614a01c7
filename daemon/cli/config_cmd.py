"""``check-config``: the same validation ``run`` does, without starting anything."""

from __future__ import annotations

from daemon.cli.common import EXIT_CONFIG, add_config_option, load_or_report


def register(commands) -> None:
    parser = commands.add_parser("check-config", help="validate a config file and report every problem")
    add_config_option(parser)
    parser.set_defaults(func=check_config)


def check_config(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    print(f"{args.config}: ok ({len(config.shops)} shop(s))")
    return 0
