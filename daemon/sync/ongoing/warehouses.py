"""One configured warehouse with its client: what every Ongoing handler is given, by config id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from daemon.config.model import OngoingConfig
from daemon.connectors.ongoing import OngoingClient, connection_name
from daemon.errors import TerminalError


@dataclass(frozen=True)
class Warehouse:
    config: OngoingConfig
    client: OngoingClient

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def connection(self) -> str:
        return connection_name(self.config.id)


class Warehouses:
    """Lookup by config id (job payloads) or by connection name (inbox items)."""

    def __init__(self, warehouses: list[Warehouse]) -> None:
        self.all = warehouses
        self._by_id = {w.id: w for w in warehouses}
        self._by_connection = {w.connection: w for w in warehouses}

    @classmethod
    def build(cls, configs: list[OngoingConfig], clients: Mapping[str, object]) -> Warehouses:
        return cls([Warehouse(config, clients[config.id]) for config in configs])  # type: ignore[arg-type]

    def by_id(self, ongoing_id: str) -> Warehouse:
        return self._lookup(self._by_id, ongoing_id)

    def by_connection(self, connection: str) -> Warehouse:
        return self._lookup(self._by_connection, connection)

    @staticmethod
    def _lookup(table: Mapping[str, Warehouse], key: str) -> Warehouse:
        try:
            return table[key]
        except KeyError:
            raise TerminalError(f"no Ongoing warehouse {key!r} is configured", ongoing=key) from None
