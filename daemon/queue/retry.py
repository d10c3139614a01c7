"""How long a retryable failure waits: capped exponential backoff with full jitter.

Full jitter (a uniform draw between 0 and the exponential ceiling) spreads the retries of many jobs that
failed together, e.g. when a shop's API was down, so they do not all come back at the same moment.
"""

from __future__ import annotations

import random


class RetryPolicy:
    def __init__(self, *, base_s: float = 2.0, cap_s: float = 900.0, rng: random.Random | None = None) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self._rng = rng or random.Random()

    def ceiling(self, attempt: int) -> float:
        """The longest wait after the ``attempt``-th failed try (1-based)."""
        return min(self.cap_s, self.base_s * 2.0 ** min(attempt - 1, 64))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds until the next try; the server's Retry-After wins when it gave one."""
        if retry_after is not None:
            return max(0.0, retry_after)
        return self._rng.uniform(0.0, self.ceiling(attempt))


def gave_up(attempts: int, reason: str) -> str:
    return f"gave up after {attempts} attempts: {reason}"
