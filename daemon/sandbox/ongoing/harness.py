"""Run the Ongoing emulator over real HTTP and talk to it: the shared fixture body of its tests."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

import aiohttp

from ..common import CONTROL_PREFIX, serve
from .app import OngoingEmulator

Params = dict[str, Any] | list[tuple[str, Any]]


@dataclass
class Answer:
    status: int
    body: Any


class Harness:
    """``call("GET", "/orders", params=...)`` hits ``<base>/{warehouse}/api/v1/orders`` with the
    emulator's Basic credentials; paths under ``/_sandbox`` go to the control API. Pass a list of
    pairs as ``params`` to repeat a key (``articleNumbers``)."""

    def __init__(self, emulator: OngoingEmulator, base_url: str, session: aiohttp.ClientSession) -> None:
        self.emulator = emulator
        self.base_url = base_url
        self.api_url = base_url + emulator.prefix
        self.session = session

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Params | None = None,
        credentials: tuple[str, str] | None = None,
        url: str | None = None,
    ) -> Answer:
        """``credentials`` (user, password) replace the emulator's own; ``url`` replaces the API root
        (e.g. to try another warehouse segment)."""
        root = url or (self.base_url if path.startswith(CONTROL_PREFIX) else self.api_url)
        user, password = credentials or (self.emulator.user, self.emulator.password)
        headers = {"Authorization": aiohttp.encode_basic_auth(user, password), "Accept": "application/json"}
        async with self.session.request(method, root + path, json=json, params=params, headers=headers) as response:
            body = await response.json(content_type=None) if response.content_length != 0 else None
            return Answer(response.status, body)


@contextlib.asynccontextmanager
async def running(emulator: OngoingEmulator) -> AsyncIterator[Harness]:
    async with serve(emulator.app) as base_url, aiohttp.ClientSession() as session:
        yield Harness(emulator, base_url, session)
