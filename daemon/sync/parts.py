"""What a business flow plugs into the program: job handlers, inbox routes, poll streams.

Each flow has a ``build_*_parts(context) -> FlowParts`` function; ``daemon.app.Program`` calls them
explicitly and merges the parts, refusing two flows that claim the same job kind or inbox topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from daemon.config.model import Config
from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.pollers.stream import Stream
from daemon.queue import JobHandler, JobQueue
from daemon.webhooks.dispatch import InboxHandler


@dataclass(frozen=True)
class FlowContext:
    """Everything a flow may need, built once by the program."""

    config: Config
    database: Database
    queue: JobQueue
    rackbeat: RackbeatClient
    shop_clients: Mapping[str, object]  # shop id -> ShopifyClient | WooClient
    ongoing_clients: Mapping[str, object] = field(default_factory=dict)  # ongoing id -> OngoingClient


@dataclass
class FlowParts:
    handlers: dict[str, JobHandler] = field(default_factory=dict)  # job kind -> handler
    routes: dict[tuple[str, str], InboxHandler] = field(default_factory=dict)  # (source, topic) -> handler
    streams: list[Stream] = field(default_factory=list)  # pollers to run

    def merge(self, other: "FlowParts") -> "FlowParts":
        for mine, theirs, what in ((self.handlers, other.handlers, "job kind"), (self.routes, other.routes, "inbox topic")):
            clash = mine.keys() & theirs.keys()
            if clash:
                raise ValueError(f"two flows claim the same {what}: {sorted(map(str, clash))}")
            mine.update(theirs)
        self.streams.extend(other.streams)
        return self
