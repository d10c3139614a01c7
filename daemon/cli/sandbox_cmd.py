"""``sandbox`` (the emulators alone) and ``demo`` (emulators + daemon + traffic): try it without credentials.

``demo`` is what ``make run`` starts: the emulators on their fixed ports, ``rackbeat-sync run`` on
``config/sandbox.toml`` as a child process, a traffic generator playing customers and back office,
and the staff of the Ongoing 3PL warehouse, until Ctrl-C stops everything in reverse order.
"""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp
import structlog

from daemon.cli.common import EXIT_CONFIG, load_or_report
from daemon.logs.setup import configure_logging
from daemon.sandbox.credentials import LISTENER, ONGOING, RACKBEAT, SHOPIFY_SHOPS, WOO_SITES
from daemon.sandbox.daemon_process import DaemonProcess
from daemon.sandbox.traffic import TrafficGenerator
from daemon.sandbox.warehouse_sim import WarehouseSimulator
from daemon.sandbox.world import UNKNOWN_SKU, SandboxWorld

SANDBOX_CONFIG = "config/sandbox.toml"
READY_TIMEOUT_S = 180.0  # the first start creates the embedded database
EXIT_FAILED = 1
STORY = (
    "customers order in two Shopify shops and a WooCommerce shop (demo.order.*), the back office changes stock, "
    "ships and buys in Rackbeat (demo.stock.*, demo.order.shipped, demo.purchase_order.placed), the Ongoing 3PL "
    "picks, ships and receives the outlet's orders and the purchase orders (demo.warehouse.*); every other line "
    "is rackbeat-sync carrying orders to Rackbeat and Ongoing and stock, shipments and receipts back"
)
log = structlog.get_logger()


def register(commands) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="run the Rackbeat, Shopify, WooCommerce and Ongoing emulators until Ctrl-C",
    )
    sandbox.add_argument("--listener", default=LISTENER, help="where the daemon listens, for webhooks (%(default)s)")
    sandbox.set_defaults(func=run_sandbox)

    demo = commands.add_parser("demo", help="emulators + daemon + simulated orders and stock changes, until Ctrl-C")
    demo.add_argument("--config", default=SANDBOX_CONFIG, help="daemon config pointing at the emulators (%(default)s)")
    rate_help = "business events, and warehouse acts, per second (%(default)s)"
    demo.add_argument("--rate", type=float, default=0.5, help=rate_help)
    demo.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable story")
    demo.set_defaults(func=run_demo)


async def run_sandbox(args) -> int:
    stopped = _stop_on_signals()
    world = await _started_world()
    if world is None:
        return EXIT_FAILED
    try:
        print("\n".join(describe(world, args.listener)), flush=True)
        await stopped.wait()
    finally:
        await world.stop()
    return 0


async def run_demo(args) -> int:
    config = load_or_report(args.config)
    if config is None:
        return EXIT_CONFIG
    configure_logging(config.daemon.log_level)
    stopped = _stop_on_signals()
    world = await _started_world()
    if world is None:
        return EXIT_FAILED
    daemon = DaemonProcess(args.config)
    try:
        log.info("demo.started", story=STORY, stop="Ctrl-C")
        log.info("demo.emulators.started", **world.base_urls)
        await daemon.start()
        ok = await _show(world, daemon, f"http://{config.daemon.listen}", stopped, args)
    finally:
        code = await daemon.stop(config.daemon.shutdown_grace_s)
        await world.stop()
    log.info("demo.stopped", daemon_exit_code=code)
    return code or (0 if ok else EXIT_FAILED)


async def _show(world: SandboxWorld, daemon: DaemonProcess, listener: str, stopped: asyncio.Event, args) -> bool:
    """Wait for the daemon (it subscribes itself to the emulators' webhooks), then generate traffic and
    work the 3PL warehouse until Ctrl-C.

    False when the daemon never became ready or ended on its own.
    """
    ready = await _first(daemon.wait_ready(f"{listener}/healthz", READY_TIMEOUT_S), stopped.wait())
    if stopped.is_set():
        return True
    if not ready:
        log.error("demo.daemon_not_ready", listener=listener)
        return False
    async with aiohttp.ClientSession() as session:
        traffic = TrafficGenerator(world, session, args.rate, args.seed)
        warehouse = WarehouseSimulator(world, args.rate, args.seed)
        await _first(traffic.run(), warehouse.run(), daemon.wait(), stopped.wait())
    if not stopped.is_set():
        log.error("demo.daemon_exited")
        return False
    log.info("demo.stopping")
    return True


async def _first(*coroutines):
    """Run the coroutines until one finishes, cancel the others; its result (or its exception)."""
    tasks = [asyncio.create_task(c) for c in coroutines]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return done.pop().result()


async def _started_world() -> SandboxWorld | None:
    """The emulators on their fixed ports, or None (reported) when a port is taken."""
    world = SandboxWorld()
    try:
        await world.start()
    except OSError as exc:
        await world.stop()
        print(f"cannot start the emulators: {exc} (is another sandbox or demo running?)", file=sys.stderr)
        return None
    return world


def _stop_on_signals() -> asyncio.Event:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    return stopped


def describe(world: SandboxWorld, listener: str) -> list[str]:
    """What a merchant needs to point a daemon (or curl) at the running emulators."""
    rackbeat, shopify, woo = world.base_urls["rackbeat"], world.base_urls["shopify"], world.base_urls["woocommerce"]
    lines = [
        f"Rackbeat     {world.rackbeat_api_url}",
        f"             token {RACKBEAT.token}   webhook token {RACKBEAT.webhook_token}",
        f"             control: POST {rackbeat}/_sandbox/stock, POST {rackbeat}/_sandbox/orders/{{n}}/ship",
    ]
    for shop in SHOPIFY_SHOPS:
        lines += [
            f"Shopify      {world.shopify_url(shop.id)}   (shop id {shop.id})",
            f"             access token {shop.access_token}   webhook secret {shop.webhook_secret}",
            f"             control: POST {shopify}/_sandbox/{shop.id}/orders, .../orders/{{id}}/pay, .../cancel",
        ]
    for site in WOO_SITES:
        lines += [
            f"WooCommerce  {world.woo_url(site.id)}   (shop id {site.id})",
            f"             consumer key {site.consumer_key}   consumer secret {site.consumer_secret}"
            f"   webhook secret {site.webhook_secret}",
            f"             control: POST {woo}/_sandbox/{site.id}/orders, .../orders/{{id}}/status",
        ]
    lines += [
        f"Ongoing WMS  {world.ongoing_api_url}   (goods owner {ONGOING.goods_owner_id})",
        f"             user {ONGOING.user}   password {ONGOING.password}",
        f"             control: POST {world.base_urls['ongoing']}/_sandbox/orders/{{n}}/pick, .../ship,"
        " .../purchaseOrders/{n}/receive",
        f"Catalogue    {world.skus[0]}..{world.skus[-1]} in Rackbeat and every shop; {UNKNOWN_SKU} in the shops only",
        f"Webhooks     registered for the daemon at http://{listener}",
        f"Daemon       rackbeat-sync run --config {SANDBOX_CONFIG}",
        "Ctrl-C stops the emulators.",
    ]
    return lines
