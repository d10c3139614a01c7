"""The three Rackbeat change feeds: products, orders and purchase orders, read by ``updated_at_from/_to``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, AsyncIterator

from daemon.connectors.rackbeat.connection import CONNECTION
from daemon.pollers.stream import PolledItem

if TYPE_CHECKING:
    from daemon.config.model import RackbeatConfig
    from daemon.connectors.rackbeat.client import RackbeatClient


class RackbeatStream:
    """One Rackbeat list resource; records are keyed by their number, as Rackbeat addresses them."""

    connection = CONNECTION

    def __init__(self, client: RackbeatClient, *, name: str, resource: str, topic: str, interval_s: float) -> None:
        self.name = name
        self.interval_s = interval_s
        self._client = client
        self._resource = resource
        self._topic = topic

    async def fetch(self, since: dt.datetime, until: dt.datetime) -> AsyncIterator[PolledItem]:
        async for page in self._client.changed_since(self._resource, since, until):
            for record in page:
                updated_at = dt.datetime.fromisoformat(record["updated_at"])
                yield PolledItem(self._topic, str(record["number"]), updated_at, record)


def rackbeat_streams(client: RackbeatClient, config: RackbeatConfig) -> list[RackbeatStream]:
    interval = config.poll_interval_s
    return [
        RackbeatStream(client, name="products", resource="products", topic="rackbeat.product", interval_s=interval),
        RackbeatStream(client, name="orders", resource="orders", topic="rackbeat.order", interval_s=interval),
        RackbeatStream(
            client,
            name="purchase_orders",
            resource="purchase-orders",
            topic="rackbeat.purchase_order",
            interval_s=interval,
        ),
    ]
