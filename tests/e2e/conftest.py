"""A started sandbox world (scaled clocks, a generous Rackbeat quota) and daemons on the test's database."""

from __future__ import annotations

import pytest

from tests.e2e.stack import Daemons, rackbeat_rate, sandbox_overrides, sandbox_world
from tests.sandbox.world_clients import session  # noqa: F401 - pytest fixture

# The emulator counts this quota per second, the daemon reads X-RateLimit-Limit as per minute (as
# Rackbeat means it) and paces itself at limit/60 = 166 requests/s; its own budget stays below that.
RACKBEAT_QUOTA = 10_000
DAEMON_RATE = rackbeat_rate(per_second=150, burst=50, concurrency=16)


@pytest.fixture
async def world():
    async with sandbox_world(rackbeat_limit=RACKBEAT_QUOTA, rackbeat_window_s=1.0) as started:
        yield started


@pytest.fixture
def daemon_settings() -> dict[str, object]:
    """Per-shop settings for the daemons; a test overrides this fixture to change them."""
    return {"poll_interval_s": 2}


@pytest.fixture
async def daemons(tmp_path, database_url, world, daemon_settings):
    env = {**sandbox_overrides(world, database_url, **daemon_settings), **DAEMON_RATE}
    started = Daemons(tmp_path, env)
    try:
        yield started
    finally:
        await started.close()
