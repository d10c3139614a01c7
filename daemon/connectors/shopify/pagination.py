"""Relay connections: follow ``pageInfo.endCursor`` while ``hasNextPage``."""

from __future__ import annotations

from typing import Any, AsyncIterator, Mapping

from daemon.connectors.shopify.graphql import GraphQL
from daemon.errors import TerminalApiError

Node = dict[str, Any]


async def iter_connection(
    graphql: GraphQL, document: str, variables: Mapping[str, Any], field: str
) -> AsyncIterator[list[Node]]:
    """Yield the ``nodes`` of each page of the top-level connection ``field``; the document must take
    ``$after`` and select ``pageInfo { hasNextPage endCursor }``. An empty result costs one request."""
    after: str | None = None
    while True:
        data = await graphql.execute(document, {**variables, "after": after})
        connection = data.get(field)
        if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
            raise TerminalApiError(
                f"{graphql.api.connection} GraphQL answer has no {field!r} connection",
                connection=graphql.api.connection,
                body=data,
            )
        nodes = connection["nodes"]
        if nodes:
            yield nodes
        page_info = connection.get("pageInfo") or {}
        if not nodes or not page_info.get("hasNextPage") or not page_info.get("endCursor"):
            return
        after = page_info["endCursor"]
