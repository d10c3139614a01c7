"""What a business flow plugs into the program: job handlers, inbox routes, poll streams.

Each flow has a ``build_*_parts(context) -> FlowParts`` function; ``daemon.app.Program`` calls them
explicitly and merges the parts. A job kind belongs to one flow; an inbox topic several flows care
about (a product changed in Rackbeat matters to orders, stock, products and the warehouse) is handed
to each of them in turn.
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
        clash = self.handlers.keys() & other.handlers.keys()
        if clash:
            raise ValueError(f"two flows claim the same job kind: {sorted(clash)}")
        self.handlers.update(other.handlers)
        for route, handler in other.routes.items():
            mine = self.routes.get(route)
            self.routes[route] = handler if mine is None else FanOut(mine, handler)
        self.streams.extend(other.streams)
        return self


class FanOut:
    """One inbox item handed to several flows; each must be idempotent (a retry re-runs them all)."""

    def __init__(self, *handlers: InboxHandler) -> None:
        self.handlers = [h for handler in handlers for h in (handler.handlers if isinstance(handler, FanOut) else [handler])]

    async def handle(self, item) -> None:
        for handler in self.handlers:
            await handler.handle(item)
