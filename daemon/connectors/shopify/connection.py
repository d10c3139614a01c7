"""How the daemon reaches one Shopify shop's Admin GraphQL API and learns its point budget.

The limiter follows the shop's real leaky bucket: every GraphQL answer (throttled ones too) reports
``extensions.cost.throttleStatus``, which replaces the configured starting figures.
"""

from __future__ import annotations

from typing import Any, Mapping

from daemon.connectors.shopify.documents import API_VERSION
from daemon.http.client import Observer
from daemon.http.ratelimit import RateLimiter
from daemon.http.response import ApiResponse

GRAPHQL_PATH = "/graphql.json"
MIN_API_VERSION = API_VERSION  # the documents use @idempotent, which older versions reject


def admin_url(api_url: str, api_version: str) -> str:
    """``https://shop.myshopify.com`` → ``https://shop.myshopify.com/admin/api/2026-01``."""
    return f"{api_url.rstrip('/')}/admin/api/{api_version}"


def check_api_version(api_version: str) -> None:
    """Refuse at start-up what would only fail on the first stock push (``@idempotent`` unknown)."""
    if api_version != "unstable" and api_version < MIN_API_VERSION:
        raise ValueError(
            f"Shopify api_version {api_version!r} is too old: "
            f"the daemon's GraphQL documents need {MIN_API_VERSION} or newer"
        )


def shopify_headers(access_token: str) -> dict[str, str]:
    return {
        "X-Shopify-Access-Token": access_token,
        "Accept": "application/json",
        "Content-Type": "application/json",
    }


def throttle_status(body: Any) -> Mapping[str, Any] | None:
    """``extensions.cost.throttleStatus`` of a GraphQL answer, if it has one."""
    cost = cost_extension(body)
    status = cost.get("throttleStatus") if cost else None
    return status if isinstance(status, Mapping) else None


def cost_extension(body: Any) -> Mapping[str, Any] | None:
    if not isinstance(body, Mapping) or not isinstance(body.get("extensions"), Mapping):
        return None
    cost = body["extensions"].get("cost")
    return cost if isinstance(cost, Mapping) else None


def cost_observer(limiter: RateLimiter) -> Observer:
    """The ``observe`` hook: take over the shop's bucket (size, level, restore rate) from each answer."""

    def observe(response: ApiResponse) -> None:
        status = throttle_status(response.body)
        if status is None:
            return
        try:
            limiter.observe_points(
                float(status["currentlyAvailable"]), float(status["maximumAvailable"]), float(status["restoreRate"])
            )
        except (KeyError, TypeError, ValueError):
            return

    return observe
