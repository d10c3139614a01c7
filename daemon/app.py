"""The program lifecycle (mautrix-style): start the components in order, stop them in reverse.

``start``: logging, database (embedded when no URL; migrations run), HTTP session and per-connection
rate limiters, API clients, the job worker, the pollers and finally the webhook listener; then
READY=1. ``stop`` (SIGTERM/SIGINT): STOPPING=1, then the same in reverse: no new webhooks, no new
polls, running jobs get ``daemon.shutdown_grace_s`` before their leases are released, then HTTP and
the database close. A component that crashes is logged and ends the process non-zero, so systemd
restarts it; a clean stop exits 0.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Awaitable, Callable, Mapping

import aiohttp
import structlog
from aiohttp import web

from daemon.config.model import Config
from daemon.connectors.rackbeat.client import RackbeatClient
from daemon.connectors.rackbeat.connection import CONNECTION as RACKBEAT
from daemon.connectors.ongoing import create_ongoing_clients
from daemon.connectors.shops import create_shop_clients
from daemon.db.database import Database
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.logs.setup import configure_logging
from daemon.pollers.base import Poller
from daemon.pollers.rackbeat_streams import rackbeat_streams
from daemon.queue import JobHandler, JobQueue, Worker
from daemon.sync.ongoing.parts import build_ongoing_parts
from daemon.sync.order_flow.parts import build_order_parts
from daemon.sync.products.parts import build_product_parts
from daemon.sync.stock.parts import build_stock_parts
from daemon.sync.parts import FlowContext, FlowParts
from daemon.systemd import Notifier
from daemon.webhooks.dispatch import InboxDispatcher
from daemon.webhooks.health import HealthReporter
from daemon.webhooks.inbox import INBOX_JOB, InboxStore
from daemon.webhooks.server import build_webhook_app
from daemon.webhooks.subscriptions import SubscriptionManager

log = structlog.get_logger()  # lazy: follows configure_logging() done after import

EXIT_CRASHED = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
LISTENER_SHUTDOWN_S = 10.0  # in-flight webhook requests are short: one inbox insert each


POLLER_RUNS = 4  # poll runs at once, across all streams
LISTENER_CONNECTIONS = 6  # the inbox's grouped inserts and /healthz
INBOX_ITEMS_AT_ONCE = 64
CLAIM_BATCH = 64  # jobs claimed by one query


def pool_size(config: Config) -> int:
    """Enough that nobody waits for a connection another waiter holds: a job or a poll run holds at most
    two at once (a session lock and its work)."""
    return 2 * config.daemon.workers + 2 * POLLER_RUNS + LISTENER_CONNECTIONS


def job_worker(
    config: Config, database: Database, queue: JobQueue, handlers: Mapping[str, JobHandler], limiters: RateLimiters
) -> Worker:
    """The job worker as the daemon runs it (the benchmarks build theirs here too).

    ``daemon.workers`` jobs of connections at once, each connection up to what its API takes at once;
    inbox items (the only jobs without a connection) up to ``INBOX_ITEMS_AT_ONCE``: the dispatcher
    handles those running together in batches, so many at once means few, large batches."""
    return Worker(
        database,
        queue,
        handlers,
        concurrency=config.daemon.workers,
        busy_connections=limiters.busy_connections,
        connection_caps=limiters.concurrency(),
        local_concurrency=INBOX_ITEMS_AT_ONCE,
        claim_batch=CLAIM_BATCH,
    )


def flow_parts(context: FlowContext) -> FlowParts:
    """Every business flow's handlers, inbox routes and streams; a new flow is one more ``merge``."""
    return (
        FlowParts()
        .merge(build_order_parts(context))
        .merge(build_stock_parts(context))
        .merge(build_product_parts(context))
        .merge(build_ongoing_parts(context))
    )


class Program:
    def __init__(self, config: Config, notifier: Notifier | None = None) -> None:
        self.config = config
        self.notifier = notifier or Notifier()
        self.pollers: list[Poller] = []
        self._stop_actions: list[tuple[str, Callable[[], Awaitable[object]]]] = []
        self._crashed: asyncio.Future[str] | None = None
        self._watchdog: asyncio.Task | None = None

    async def run(self) -> int:
        """Start, serve until SIGTERM/SIGINT or a crash, stop; returns the process exit code."""
        loop = asyncio.get_running_loop()
        stop_requested = asyncio.Event()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stop_requested.set)
        self._crashed = loop.create_future()
        exit_code = await self._serve(stop_requested)
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)  # a second signal ends the process at once
        await self.stop()
        return exit_code

    async def _serve(self, stop_requested: asyncio.Event) -> int:
        stopping = asyncio.create_task(stop_requested.wait(), name="stop-signal")
        starting = asyncio.create_task(self.start(), name="start")
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not starting.done():  # stopped while still starting (a slow database, say)
                starting.cancel()
                await asyncio.gather(starting, return_exceptions=True)
                return 0
            if starting.exception() is not None:
                log.error("daemon.start_failed", exc_info=starting.exception())
                return EXIT_CRASHED
            await asyncio.wait({stopping, self._crashed}, return_when=asyncio.FIRST_COMPLETED)
            return EXIT_CRASHED if self._crashed.done() else 0
        finally:
            stopping.cancel()

    async def start(self) -> None:
        config = self.config
        configure_logging(config.daemon.log_level)
        self._watchdog = asyncio.create_task(self.notifier.watchdog(), name="watchdog")
        log.info("daemon.starting", listen=config.daemon.listen, shops=[shop.id for shop in config.shops])

        database = Database(config.daemon.database_url, config.daemon.data_dir, max_size=pool_size(config))
        self._on_stop("database", database.close)
        self.notifier.status("starting: database and migrations")
        await database.start()

        session = aiohttp.ClientSession()
        self._on_stop("http", session.close)
        limiters = RateLimiters(
            [
                RateLimiter.from_config(RACKBEAT, config.rackbeat.rate),
                *(RateLimiter.from_config(shop.id, shop.effective_rate) for shop in config.shops),
            ]
        )
        rackbeat = RackbeatClient.create(config.rackbeat, session, limiters[RACKBEAT])

        queue = JobQueue(database)
        inbox = InboxStore(database)
        context = FlowContext(
            config,
            database,
            queue,
            rackbeat,
            shop_clients=create_shop_clients(config.shops, session, limiters),
            ongoing_clients=create_ongoing_clients(config, session, limiters),
        )
        parts = flow_parts(context)
        subscriptions = SubscriptionManager(config, database, rackbeat, context.shop_clients, parts.routes)
        handlers = {INBOX_JOB: InboxDispatcher(inbox, parts.routes), **parts.handlers}
        worker = job_worker(config, database, queue, handlers, limiters)
        self._on_stop("worker", lambda: worker.stop(config.daemon.shutdown_grace_s))
        await worker.start()

        streams = [*rackbeat_streams(rackbeat, config.rackbeat), *parts.streams]
        poll_slots = asyncio.Semaphore(POLLER_RUNS)
        self.pollers = [Poller(stream, database.pool, inbox, run_slots=poll_slots) for stream in streams]
        self._on_stop("pollers", lambda: asyncio.gather(*(poller.stop() for poller in self.pollers)))
        for poller in self.pollers:
            self._supervise(f"poller {poller.stream.connection}/{poller.stream.name}", poller.start())

        listener = build_webhook_app(
            config, inbox, HealthReporter(database, config), rackbeat_tokens=subscriptions.rackbeat_tokens
        )
        runner = web.AppRunner(listener, shutdown_timeout=LISTENER_SHUTDOWN_S)
        await runner.setup()
        self._on_stop("listener", runner.cleanup)
        await web.TCPSite(runner, config.daemon.listen_host, config.daemon.listen_port).start()

        # after the listener: WooCommerce pings a new webhook's URL at once and wants a 200
        for stream in subscriptions.streams:
            poller = Poller(stream, database.pool, inbox, run_slots=poll_slots)
            self.pollers.append(poller)
            self._supervise(f"poller {stream.connection}/{stream.name}", poller.start())

        status = f"listening on {config.daemon.listen}, {len(self.pollers)} pollers"
        self.notifier.ready(status)
        log.info("daemon.ready", listen=config.daemon.listen, pollers=len(self.pollers))

    async def stop(self) -> None:
        """Undo whatever ``start`` got done, newest first; a failing step does not stop the rest."""
        self.notifier.stopping("stopping")
        log.info("daemon.stopping")
        while self._stop_actions:
            component, action = self._stop_actions.pop()
            try:
                await action()
            except Exception:  # noqa: BLE001 - keep shutting the rest down
                log.exception("daemon.stop_failed", component=component)
        if self._watchdog is not None:
            self._watchdog.cancel()
            await asyncio.gather(self._watchdog, return_exceptions=True)
        log.info("daemon.stopped")
        self.notifier.close()

    def _on_stop(self, component: str, action: Callable[[], Awaitable[object]]) -> None:
        self._stop_actions.append((component, action))

    def _supervise(self, component: str, task: asyncio.Task) -> None:
        """A background task that dies with an exception takes the process down (systemd restarts it)."""

        def check(done: asyncio.Task) -> None:
            if done.cancelled() or done.exception() is None:
                return
            log.error("daemon.component_crashed", component=component, exc_info=done.exception())
            if self._crashed is not None and not self._crashed.done():
                self._crashed.set_result(component)

        task.add_done_callback(check)
