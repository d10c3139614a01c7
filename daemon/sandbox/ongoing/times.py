"""Instants: strictly increasing change stamps, Ongoing's UTC output format and query parsing.

Every filter the daemon polls with (``stockInfoChangedFrom``, ``orderStatusChangedTimeFrom``,
``lastReceiveTimeFrom``, ...) is a watermark, so no two changes may share an instant.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

_TICK = timedelta(microseconds=1)
# [inferred] An ASP.NET server parses an offset-less query time in its own zone; Ongoing runs in Sweden.
# This is why Ongoing asks for explicit offsets, and it makes a daemon that sends naive times visibly wrong.
SERVER_ZONE = ZoneInfo("Europe/Stockholm")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Stamps:
    """Hands out strictly increasing UTC instants; ``now`` is injectable for fixed-time tests."""

    def __init__(self, now: Callable[[], datetime] = utc_now) -> None:
        self.now = now
        self._last: datetime | None = None

    def next(self) -> datetime:
        instant = self.now()
        if self._last is not None and instant <= self._last:
            instant = self._last + _TICK
        self._last = instant
        return instant


def iso(instant: datetime | None) -> str | None:
    """``2019-04-09T10:39:31.300000Z``: UTC with a ``Z``, like Ongoing's responses."""
    if instant is None:
        return None
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(text: str) -> datetime | None:
    """An ISO-8601 query value; None when unparseable. Naive values are server-local time."""
    try:
        instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=SERVER_ZONE)
