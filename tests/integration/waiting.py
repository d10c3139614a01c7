"""Waiting until something happens, with a generous timeout instead of a timing assertion."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

T = TypeVar("T")


async def wait_until(check: Callable[[], Awaitable[T]], timeout: float = 30.0, step: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy, and return that."""

    async def poll() -> T:
        while not (result := await check()):
            await asyncio.sleep(step)
        return result

    return await asyncio.wait_for(poll(), timeout)
