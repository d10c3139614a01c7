"""What several commands share: the ``--config`` option and loading it with a clear failure."""

from __future__ import annotations

import argparse
import os
import sys

from daemon.config.loader import ConfigError, load_config
from daemon.config.model import Config

DEFAULT_CONFIG = "/etc/rackbeat-sync/config.toml"
EXIT_CONFIG = 2


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default=os.environ.get("RACKBEAT_SYNC_CONFIG", DEFAULT_CONFIG),
        help="TOML config file (default: $RACKBEAT_SYNC_CONFIG or %(default)s)",
    )


def load_or_report(path: str) -> Config | None:
    """Load the config; on problems print each with its key path to stderr and return None."""
    try:
        return load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"config error: {problem}", file=sys.stderr)
        return None
