"""One connection's subscriptions brought to what the daemon wants: list first, create what is missing,
re-activate what the platform switched off after failed deliveries.

It runs as a poll stream that stores nothing: the poller gives it what it needs to be safe and
regular: an advisory lock per connection (two processes never create the same subscription at once),
a schedule shared by all processes, and a backed-off retry when a run fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import AsyncIterator, Protocol, Sequence

import structlog

from daemon.pollers.stream import PolledItem
from daemon.webhooks.subscriptions.store import StoredSubscription, SubscriptionStore

log = structlog.get_logger()  # lazy: follows configure_logging() done after import

STREAM_NAME = "webhook_subscriptions"
RECONCILE_INTERVAL_S = 900.0  # Woo disables a webhook after 7 failures in a row; 15 min bounds the gap


@dataclass(frozen=True)
class Remote:
    """A subscription as the platform lists it; ``token`` is only known from the answer to a create."""

    id: str
    disabled: bool = False  # switched off by the platform after failures; the daemon switches it back on
    token: str | None = None


class Platform(Protocol):
    """One shop's or Rackbeat's subscription API, for subscriptions to one delivery address."""

    connection: str
    address: str  # where the subscriptions deliver: this daemon's listener
    issues_tokens: bool  # deliveries carry a per-subscription token that must be known to accept them

    async def subscriptions(self) -> dict[str, Remote]:
        """topic → the subscription delivering to this daemon's address."""
        ...

    async def create(self, topic: str) -> Remote: ...

    async def activate(self, topic: str, remote: Remote) -> None: ...


class SubscriptionReconciler:
    def __init__(
        self,
        platform: Platform,
        topics: Sequence[str],
        store: SubscriptionStore,
        *,
        interval_s: float = RECONCILE_INTERVAL_S,
    ) -> None:
        self.platform = platform
        self.topics = topics
        self.store = store
        self.name = f"{STREAM_NAME} {platform.address}"  # one schedule per address, if daemons differ
        self.connection = platform.connection
        self.interval_s = interval_s
        self._log = log.bind(connection=platform.connection, address=platform.address)

    async def reconcile(self) -> None:
        found = await self.platform.subscriptions()
        where = (self.connection, self.platform.address)
        stored = await self.store.rows(*where)
        for topic in self.topics:
            remote = found.get(topic)
            if remote is None or not self._token_known(remote, stored.get(topic)):
                remote = await self.platform.create(topic)
                await self.store.record(*where, topic, remote.id, token=remote.token, created=True)
                self._log.info("webhooks.subscribed", topic=topic, remote_id=remote.id)
                continue
            if remote.disabled:
                await self.platform.activate(topic, remote)
                self._log.warning("webhooks.reactivated", topic=topic, remote_id=remote.id)
            await self.store.record(*where, topic, remote.id)

    def _token_known(self, remote: Remote, stored: StoredSubscription | None) -> bool:
        """Deliveries with a token the daemon does not hold would all be refused: such a subscription
        is as good as missing."""
        if not self.platform.issues_tokens:
            return True
        return stored is not None and stored.remote_id == remote.id and stored.token is not None

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        """The poll stream's run: reconcile, and report no items."""
        await self.reconcile()
        return
        yield  # makes this an async generator, as the poller iterates it
