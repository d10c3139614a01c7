"""aioresponses for aiohttp 3.14: the API-client unit tests mock HTTP with this.

aioresponses 0.7.9 builds ``ClientResponse`` without the ``stream_writer`` aiohttp 3.14 requires
(aioresponses#289); ``MockApi`` supplies one, everything else is plain aioresponses.
"""

from __future__ import annotations

import aiohttp
from aioresponses import aioresponses


class _SentRequest:
    output_size = 0


class _Response(aiohttp.ClientResponse):
    """aioresponses 0.7.9 predates aiohttp 3.14's required ``stream_writer`` (aioresponses#289)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("stream_writer", _SentRequest())
        super().__init__(*args, **kwargs)


class MockApi(aioresponses):
    def add(self, *args, **kwargs) -> None:
        kwargs.setdefault("response_class", _Response)
        super().add(*args, **kwargs)


def sent(mock: aioresponses) -> int:
    return sum(len(calls) for calls in mock.requests.values())
