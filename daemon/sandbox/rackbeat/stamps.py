"""Timestamps: ISO-8601 with offset (UTC) on output; ``YYYY-MM-DD HH:MM:SS`` or ISO-8601 on input.

``updated_at`` must change on every write because the daemon's pollers use it as a watermark, so the
source never hands out the same instant twice (microsecond resolution, strictly increasing).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

_TICK = timedelta(microseconds=1)


class Stamps:
    """Strictly increasing UTC instants; ``now`` is injectable for tests that need fixed times."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._now = now
        self._last: datetime | None = None

    def next(self) -> datetime:
        instant = self._now()
        if self._last is not None and instant <= self._last:
            instant = self._last + _TICK
        self._last = instant
        return instant


def iso(instant: datetime | None) -> str | None:
    return instant.isoformat(timespec="microseconds") if instant is not None else None


def parse_instant(text: str) -> datetime | None:
    """Parse a filter value; naive values are taken as UTC. Returns None when unparseable."""
    try:
        instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)
