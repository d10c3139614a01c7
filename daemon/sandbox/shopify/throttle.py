"""Shopify's GraphQL leaky bucket: points drain per query and refill continuously at the restore rate."""

from __future__ import annotations

import time
from typing import Callable


class LeakyBucket:
    def __init__(self, size: float, restore_rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.restore_rate = restore_rate
        self._clock = clock
        self._available = size
        self._stamp = clock()

    def available(self) -> float:
        now = self._clock()
        self._available = min(self.size, self._available + (now - self._stamp) * self.restore_rate)
        self._stamp = now
        return self._available

    def try_take(self, points: float) -> bool:
        """Take ``points`` if the bucket holds them; a refused query takes nothing."""
        if self.available() < points:
            return False
        self._available -= points
        return True

    def refund(self, points: float) -> None:
        """Give back what the query was charged but did not use (requested minus actual cost)."""
        self._available = min(self.size, self.available() + points)

    def status(self) -> dict[str, float]:
        return {
            "maximumAvailable": float(self.size),
            "currentlyAvailable": int(self.available()),
            "restoreRate": float(self.restore_rate),
        }
