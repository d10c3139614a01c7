"""structlog configuration: JSON lines for journald, readable colour on a terminal.

Every line carries ``event`` (a stable dotted name), ``level`` and ``timestamp``; callers bind
``connection`` / ``shop`` / ``order`` / ``sku`` where one applies.
"""

from __future__ import annotations

import logging
import sys

import structlog

from daemon.logs.redact import redact_processor


class _CurrentStream:
    """Writes to whatever ``sys.stdout``/``sys.stderr`` is at the time of writing (it may be swapped later)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _stream(self):
        return getattr(sys, self._name)

    def write(self, text: str) -> int:
        return self._stream().write(text)

    def flush(self) -> None:
        self._stream().flush()

    def isatty(self) -> bool:
        return self._stream().isatty()


def configure_logging(level: str = "info", *, json: bool | None = None, stream=None) -> None:
    """``stream`` defaults to stdout; stdout and stderr are followed, not captured, at setup time."""
    if stream is None or stream is sys.stdout:
        stream = _CurrentStream("stdout")
    elif stream is sys.stderr:
        stream = _CurrentStream("stderr")
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
