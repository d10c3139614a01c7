"""structlog configuration: JSON lines for journald, readable colour on a terminal.

Every line carries ``event`` (a stable dotted name), ``level`` and ``timestamp``; callers bind
``connection`` / ``shop`` / ``order`` / ``sku`` where one applies.
"""

from __future__ import annotations

import logging
import sys

import structlog

from daemon.logs.redact import redact_processor


class _CurrentStdout:
    """Writes to whatever ``sys.stdout`` is at the time of writing (it may be swapped after setup)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return sys.stdout.isatty()


def configure_logging(level: str = "info", *, json: bool | None = None, stream=None) -> None:
    stream = stream or _CurrentStdout()
    use_json = (not stream.isatty()) if json is None else json
    renderer = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=stream.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact_processor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )


def get_logger(**bound) -> structlog.typing.FilteringBoundLogger:
    """A lazy logger: safe at import time, it follows whatever configure_logging() sets later."""
    return structlog.get_logger(**bound)
