"""A minimal Rackbeat list API for poller and lifecycle tests: records every request it answers.

``GET /<resource>`` answers like Rackbeat (206, ``{<plural>: [...], pages, page, limit, total}``) from
``records[resource]``, ``page_size`` per page, ignoring the change filters (the tests check them).
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from aiohttp import web

from daemon.sandbox.common import serve


class RackbeatStub:
    def __init__(self, page_size: int = 1000) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []  # (resource, query)
        self.page_size = page_size
        self.base_url = ""  # set while running
        self.app = web.Application()
        self.app.router.add_get("/{resource}", self._list)

    def requests_for(self, resource: str) -> list[dict[str, str]]:
        return [query for name, query in self.requests if name == resource]

    async def _list(self, request: web.Request) -> web.Response:
        resource = request.match_info["resource"]
        self.requests.append((resource, dict(request.query)))
        records = self.records.get(resource, [])
        page = int(request.query.get("page", "1"))
        pages = max(1, -(-len(records) // self.page_size))
        chunk = records[(page - 1) * self.page_size : page * self.page_size]
        body = {resource.replace("-", "_"): chunk, "pages": pages, "page": page, "limit": self.page_size}
        return web.json_response({**body, "total": len(records)}, status=206)


@contextlib.asynccontextmanager
async def running_stub(stub: RackbeatStub) -> AsyncIterator[RackbeatStub]:
    async with serve(stub.app) as stub.base_url:
        yield stub
