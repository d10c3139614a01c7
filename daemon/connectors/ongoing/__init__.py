"""Ongoing WMS goods-owner REST API v1: the client the Ongoing flows and the stock-compare command use."""

from daemon.connectors.ongoing.client import OngoingClient
from daemon.connectors.ongoing.connection import connection_name, create_ongoing_clients

__all__ = ["OngoingClient", "connection_name", "create_ongoing_clients"]
