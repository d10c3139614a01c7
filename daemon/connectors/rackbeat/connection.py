"""How the daemon presents itself to Rackbeat and learns its request budget from the answers.

Rackbeat's own SDK refuses to run without ``Consumer-Name``/``Consumer-Contact`` and a
``User-Agent`` naming a contact, and warns that anonymous clients may get their IP restricted.
"""

from __future__ import annotations

from typing import Mapping

from daemon.http.client import Observer
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import ApiResponse

CONNECTION = "rackbeat"
CONSUMER_NAME = "rackbeat-sync"
DEFAULT_CONTACT = "operator@localhost"
TIMEOUT_S = 90.0  # the official SDK's figures: large 1000-row pages can take a while
CONNECT_TIMEOUT_S = 5.0


def rackbeat_headers(token: str, contact: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
        "API-Version": "latest",
        "Consumer-Name": CONSUMER_NAME,
        "Consumer-Contact": contact,
        "User-Agent": f"{CONSUMER_NAME} ({contact})",
    }


def rate_limit_observer(limiter: RateLimiter) -> Observer:
    """The ``observe`` hook: feed ``X-RateLimit-Limit/-Remaining`` of every answer to the limiter.

    Rackbeat sends no reset time on ordinary answers; its 429 carries Retry-After, which the HTTP
    client applies itself.
    """

    def observe(response: ApiResponse) -> None:
        limiter.observe_remaining(
            _int(response.headers, "X-RateLimit-Limit"), _int(response.headers, "X-RateLimit-Remaining"), None
        )

    return observe


def _int(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None
