"""Rackbeat (inventory, orders, purchasing): the client the sync handlers and pollers use."""

from daemon.connectors.rackbeat.client import RackbeatClient

__all__ = ["RackbeatClient"]
