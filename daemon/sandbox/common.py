"""Pieces every emulator shares: fault injection, a time scale, a control API and an in-process runner.

The emulators are real aiohttp servers. Faults are injected by a middleware so that the daemon meets
latency, 5xx, 429, dropped connections and "committed but the response was lost" exactly where a
real API would hurt it. Each emulator decides what a *create* is by marking the request
before doing its write (see :func:`mark_create`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
from dataclasses import asdict, dataclass, field, fields
from typing import Any, AsyncIterator, Awaitable, Callable

from aiohttp import web

CONTROL_PREFIX = "/_sandbox"
CREATES = web.RequestKey("creates", bool)


@dataclass
class Faults:
    """Probabilities (0..1) and delays for injected failures; all off by default."""

    latency_ms: float = 0.0
    error_rate: float = 0.0  # answer 503 without touching state
    throttle_rate: float = 0.0  # answer 429 without touching state
    drop_rate: float = 0.0  # close the connection without an answer, state untouched
    commit_drop_rate: float = 0.0  # on creates: commit the write, then drop the connection
    seed: int | None = None
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self.rng.seed(self.seed)

    def update(self, values: dict[str, Any]) -> None:
        known = {f.name for f in fields(self)} - {"rng"}
        for key, value in values.items():
            if key not in known:
                raise ValueError(f"unknown fault setting {key!r}")
            setattr(self, key, value)
        if "seed" in values and values["seed"] is not None:
            self.rng.seed(values["seed"])

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("rng", None)
        return data

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate


@dataclass
class Clock:
    """Scales the emulator's own waits (webhook retry schedules) so hours pass in seconds in tests."""

    scale: float = 1.0

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds * self.scale))


def mark_create(request: web.Request) -> None:
    """Tell the fault middleware that this request commits a create (eligible for commit-then-drop)."""
    request[CREATES] = True


def drop_connection(request: web.Request) -> web.Response:
    """Close the socket under the request so the client sees a dropped connection, not an answer."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    return web.Response(status=500, text="dropped")


def fault_middleware(faults: Faults, *, throttled: Callable[[web.Request], web.StreamResponse]):
    """aiohttp middleware injecting faults. ``throttled`` builds the API's own 429 answer."""

    @web.middleware
    async def middleware(request: web.Request, handler):
        if request.path.startswith(CONTROL_PREFIX):
            return await handler(request)
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000.0)
        if faults.roll(faults.drop_rate):
            return drop_connection(request)
        if faults.roll(faults.error_rate):
            return web.json_response({"message": "Injected server error"}, status=503)
        if faults.roll(faults.throttle_rate):
            return throttled(request)
        response = await handler(request)
        if request.get(CREATES) and response.status < 300 and faults.roll(faults.commit_drop_rate):
            return drop_connection(request)
        return response

    return middleware


def add_fault_control(app: web.Application, faults: Faults) -> None:
    """``GET/PUT /_sandbox/faults``: read or change the fault settings of a running emulator."""

    async def get_faults(_: web.Request) -> web.Response:
        return web.json_response(faults.as_dict())

    async def put_faults(request: web.Request) -> web.Response:
        try:
            faults.update(await request.json())
        except ValueError as exc:
            return web.json_response({"message": str(exc)}, status=400)
        return web.json_response(faults.as_dict())

    app.router.add_get(f"{CONTROL_PREFIX}/faults", get_faults)
    app.router.add_put(f"{CONTROL_PREFIX}/faults", put_faults)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def serve(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run ``app`` in this event loop; yields its base URL (``http://host:port``)."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port or free_port(host), reuse_address=True)
    await site.start()
    bound = site._server.sockets[0].getsockname()  # type: ignore[union-attr]
    try:
        yield f"http://{host}:{bound[1]}"
    finally:
        await runner.cleanup()


Sender = Callable[[], Awaitable[bool]]


async def deliver_with_retries(send: Sender, schedule: list[float], clock: Clock) -> bool:
    """Call ``send`` once, then again after each delay of ``schedule`` until it reports success.

    Returns whether any attempt succeeded; the caller decides what exhaustion means
    (Shopify removes the subscription, Rackbeat just counts failures).
    """
    if await send():
        return True
    for delay in schedule:
        await clock.sleep(delay)
        if await send():
            return True
    return False
