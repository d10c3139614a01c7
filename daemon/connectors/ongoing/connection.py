"""Building one client per configured warehouse, each behind its own one-at-a-time limiter.

Ongoing processes a goods owner's requests one after another and asks callers to do the same
(parallel upserts queue up and time out), so every client gets ``concurrency=1``.
"""

from __future__ import annotations

from typing import Mapping

import aiohttp

from daemon.config.model import Config, OngoingConfig
from daemon.connectors.ongoing.client import OngoingClient
from daemon.http.client import ApiClient
from daemon.http.ratelimit import RateLimiter, RateLimiters

TIMEOUT_S = 30.0
PER_SECOND = 5.0


def connection_name(ongoing_id: str) -> str:
    """The connection (limiter, job, inbox) name of one warehouse; prefixed so it never meets a shop id."""
    return f"ongoing:{ongoing_id}"


def create_client(config: OngoingConfig, session: aiohttp.ClientSession, limiter: RateLimiter) -> OngoingClient:
    api = ApiClient(
        connection_name(config.id),
        config.api_url,
        session=session,
        limiter=limiter,
        headers={
            "Accept": "application/json",
            "Authorization": aiohttp.encode_basic_auth(config.user, config.password.get_secret_value()),
        },
        timeout_s=TIMEOUT_S,
    )
    return OngoingClient(api, config.goods_owner_id)


def create_ongoing_clients(
    config: Config, session: aiohttp.ClientSession, limiters: RateLimiters
) -> Mapping[str, OngoingClient]:
    """Ongoing id -> client; adds each warehouse's limiter to ``limiters`` (so busy ones are skipped)."""
    clients = {}
    for ongoing in config.ongoing:
        name = connection_name(ongoing.id)
        limiter = limiters.add(RateLimiter(name, per_second=PER_SECOND, burst=PER_SECOND, concurrency=1))
        clients[ongoing.id] = create_client(ongoing, session, limiter)
    return clients
