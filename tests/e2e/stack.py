"""The whole system as a merchant runs it: the sandbox emulators in this process and ``rackbeat-sync run``
as real child processes, configured by ``config/sandbox.toml`` with the test's addresses as environment
overrides (so the config under test is the sandbox's own, not a copy).

The emulators' clocks are scaled, so Shopify's webhook retries come within seconds. Rackbeat's quota
and the window it counts in are the caller's: the tests count per second, so that an injected 429 asks
for a one-second pause instead of the rest of a minute.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import aiohttp
import asyncpg

from daemon.connectors.rackbeat.connection import CONNECTION as RACKBEAT
from daemon.sandbox.common import Clock, free_port
from daemon.sandbox.credentials import FREE_PORTS, SHOPIFY_SHOPS, WOO_SITES
from daemon.sandbox.world import SandboxWorld
from daemon.webhooks.subscriptions.reconcile import STREAM_NAME as SUBSCRIPTIONS_STREAM
from tests.integration.daemon_process import RACKBEAT_SYNC, DaemonProcess, daemon_env
from tests.integration.waiting import wait_until

SANDBOX_TOML = Path(__file__).resolve().parents[2] / "config" / "sandbox.toml"
SHOP_IDS = [*(shop.id for shop in SHOPIFY_SHOPS), *(site.id for site in WOO_SITES)]  # sandbox.toml's order
CLOCK_SCALE = 0.01  # Shopify's first retry after 0.6 s instead of a minute
SHELF = 1_000_000  # of each SKU: WooCommerce refuses to oversell, and the daemon pushes Rackbeat's stock to it
READY_TIMEOUT_S = 60.0
LOG_TAIL = 80


def sandbox_world(*, rackbeat_limit: int, rackbeat_window_s: float, clock_scale: float = CLOCK_SCALE) -> SandboxWorld:
    """A world on free ports, the shops stocked for any number of orders; Rackbeat allows ``rackbeat_limit``
    requests per ``rackbeat_window_s``."""
    world = SandboxWorld(ports=FREE_PORTS, clock=Clock(scale=clock_scale))
    world.rackbeat.limiter.limit = rackbeat_limit
    world.rackbeat.limiter.window_s = rackbeat_window_s
    catalog, location = world.rackbeat.state.catalog, world.rackbeat.state.catalog.default_location
    for sku in world.skus:
        product = catalog.find_product(sku)
        catalog.change(product, location, "goods received", stock=SHELF - catalog.quantities(product, location).stock)
    for site in world.woocommerce.sites.values():
        for product in site.store.products.values():
            if product.manage_stock:
                product.stock_quantity = SHELF
    return world


def sandbox_overrides(world: SandboxWorld, database_url: str, **shop_settings: object) -> dict[str, str]:
    """Environment that points config/sandbox.toml at ``world`` and the test's database.

    ``shop_settings`` (``poll_interval_s=2``, ``start_date="2026-11-22"``) apply to every shop.
    """
    env = {
        "DATABASE_URL": database_url,
        "RACKBEAT_SYNC__RACKBEAT__API_URL": world.rackbeat_api_url,
        "RACKBEAT_SYNC__ONGOING__0__API_URL": world.ongoing_api_url,
    }
    urls = [*(world.shopify_url(shop.id) for shop in SHOPIFY_SHOPS), *(world.woo_url(site.id) for site in WOO_SITES)]
    for index, url in enumerate(urls):
        env[f"RACKBEAT_SYNC__SHOPS__{index}__API_URL"] = url
        for key, value in shop_settings.items():
            env[f"RACKBEAT_SYNC__SHOPS__{index}__{key.upper()}"] = str(value)
    return env


def rackbeat_rate(per_second: float, burst: float, concurrency: int) -> dict[str, str]:
    """The daemon's Rackbeat budget (``[rackbeat.rate]``) as environment overrides."""
    return {
        "RACKBEAT_SYNC__RACKBEAT__RATE__PER_SECOND": str(per_second),
        "RACKBEAT_SYNC__RACKBEAT__RATE__BURST": str(burst),
        "RACKBEAT_SYNC__RACKBEAT__RATE__CONCURRENCY": str(concurrency),
    }


class Daemons:
    """``rackbeat-sync run`` processes on one config and database, each with its own port and log file.

    ``close`` SIGKILLs whatever still runs and prints the end of every log (pytest shows it when a test
    failed; the whole logs stay in the test's tmp_path).
    """

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.started: list[DaemonProcess] = []
        self.listeners: dict[DaemonProcess, str] = {}
        self._numbers = itertools.count(1)

    async def start(self, port: int | None = None) -> DaemonProcess:
        """Start one daemon (on ``port``, to take over a killed one's address) and wait until it serves."""
        port = port or free_port()
        number = next(self._numbers)
        env = daemon_env(
            **self.env,
            RACKBEAT_SYNC__DAEMON__LISTEN=f"127.0.0.1:{port}",
            RACKBEAT_SYNC__DAEMON__PUBLIC_URL=f"http://127.0.0.1:{port}",
            RACKBEAT_SYNC__DAEMON__DATA_DIR=str(self.workdir),
        )
        daemon = DaemonProcess(SANDBOX_TOML, self.workdir / f"daemon-{number}.log", env)
        self.started.append(daemon)
        self.listeners[daemon] = f"http://127.0.0.1:{port}"
        await daemon.start()
        await self._ready(daemon)
        return daemon

    async def restart(self, daemon: DaemonProcess, *, down_s: float = 0.0) -> DaemonProcess:
        """SIGKILL ``daemon`` (no shutdown at all) and, ``down_s`` later, start a new one on the same port."""
        await daemon.kill()
        await asyncio.sleep(down_s)
        return await self.start(int(self.listeners[daemon].rsplit(":", 1)[1]))

    async def command(self, *args: str) -> tuple[int, str]:
        """Run a one-off ``rackbeat-sync`` command on the daemons' config; its exit code and stdout
        (its log, on stderr, goes to a file next to the daemons')."""
        env = daemon_env(**self.env, RACKBEAT_SYNC__DAEMON__DATA_DIR=str(self.workdir))
        with (self.workdir / f"{args[0]}-{next(self._numbers)}.log").open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                RACKBEAT_SYNC, *args, "--config", str(SANDBOX_TOML), stdout=asyncio.subprocess.PIPE, stderr=log, env=env
            )
            stdout, _ = await process.communicate()
        return process.returncode, stdout.decode()

    async def _ready(self, daemon: DaemonProcess) -> None:
        """Serving (``/healthz`` answers) and subscribed, by itself, to every shop's and Rackbeat's webhooks."""
        listener = self.listeners[daemon]
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:

            async def serving() -> bool:
                assert daemon.process.returncode is None, f"daemon exited:\n{daemon.log()}"
                try:
                    async with session.get(f"{listener}/healthz") as response:
                        return response.status == 200
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    return False

            await wait_until(serving, READY_TIMEOUT_S, step=0.2)

        async def subscribed() -> bool:
            conn = await asyncpg.connect(self.env["DATABASE_URL"])
            try:
                done = await conn.fetch(
                    "SELECT connection FROM poll_cursors WHERE stream LIKE $1 AND last_success_at IS NOT NULL",
                    f"{SUBSCRIPTIONS_STREAM} {listener}/%",
                )
            finally:
                await conn.close()
            return {row["connection"] for row in done} >= {*SHOP_IDS, RACKBEAT}

        await wait_until(subscribed, READY_TIMEOUT_S, step=0.2)

    async def close(self, *, show_logs: bool = True) -> None:
        for daemon in self.started:
            await daemon.kill()
            if not show_logs:
                continue
            tail = "\n".join(daemon.log().splitlines()[-LOG_TAIL:])
            print(f"--- last {LOG_TAIL} lines of {daemon.log_path}\n{tail}")
