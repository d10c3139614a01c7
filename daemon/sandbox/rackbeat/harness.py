"""Run an emulator over real HTTP and talk to it: the shared fixture body of the sandbox tests."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from ..common import CONTROL_PREFIX, serve
from .app import RackbeatEmulator


@dataclass
class Answer:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]


class Harness:
    """``call("GET", "/products")`` hits ``<base>/api/products`` with the emulator's bearer token;
    paths under ``/_sandbox`` go to the control API. Percent signs in paths are sent as given."""

    def __init__(self, emulator: RackbeatEmulator, base_url: str, session: aiohttp.ClientSession) -> None:
        self.emulator = emulator
        self.base_url = base_url
        self.api_url = f"{base_url}/api"
        self.session = session

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> Answer:
        root = self.base_url if path.startswith(CONTROL_PREFIX) else self.api_url
        headers = {
            "Authorization": f"Bearer {self.emulator.token if token is None else token}",
            "Accept": "application/json",
            "API-Version": "latest",
            "Consumer-Name": "rackbeat-sync tests",
            "Consumer-Contact": "tests@example.com",
        }
        url = URL(root + path, encoded=True)
        async with self.session.request(method, url, json=json, params=params, headers=headers) as response:
            body = await response.json(content_type=None) if response.content_length != 0 else None
            return Answer(response.status, body, response.headers)


@contextlib.asynccontextmanager
async def running(emulator: RackbeatEmulator) -> AsyncIterator[Harness]:
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield Harness(emulator, base_url, session)
