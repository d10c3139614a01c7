"""What a poller polls: a named change feed of one connection, read window by window.

Adding a stream (a shop's orders, say) means writing one class with these four members; the
poller owns scheduling, the cursor, locking and feeding the inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, AsyncIterator, Protocol


@dataclass(frozen=True)
class PolledItem:
    """One changed record; ``(key, updated_at)`` identifies the version, so re-reading it is harmless."""

    topic: str
    key: str
    updated_at: dt.datetime
    body: dict[str, Any]


class Stream(Protocol):
    name: str  # unique within the connection, e.g. "products"
    connection: str  # "rackbeat" or a shop id
    interval_s: float

    def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        """Records changed in ``[since, until]``; an unchanged system should cost one request."""
        ...
