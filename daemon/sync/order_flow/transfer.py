"""The ``order.transfer`` job: one shop order becomes exactly one Rackbeat order, processed as configured.

Exactly once, across crashes and lost responses:
1. a session lock per order, so two jobs for one order never overlap;
2. a linked order is never created again (the unique link is the guard);
3. ``create_attempted_at`` is committed *before* the create call, and whenever it is set the order is
   first searched in Rackbeat by the reference written on it (``other_reference``) — so a create whose
   response was lost, or a crash between Rackbeat's create and our bookkeeping, is adopted, not repeated;
4. each processing step (ship, invoice) checks Rackbeat's state before acting, so a re-run resumes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from daemon.config.model import ShopConfig
from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.db.locks import ORDER_LOCKS, session_lock
from daemon.errors import RetryableError, TerminalApiError, TerminalError
from daemon.logs.setup import get_logger
from daemon.queue.model import Job
from daemon.sync.model import Order
from daemon.sync.order_flow.customers import CustomerResolver
from daemon.sync.order_flow.intake import transfer_rule
from daemon.sync.order_flow.links import PARKED, SKIPPED, WAITING, OrderLink, OrderLinks
from daemon.sync.order_flow.rejections import unknown_sku_error
from daemon.sync.orders import PayloadOptions, build_order_payload, line_problems, transfer_decision

log = get_logger()
STEPS = ("draft", "booked", "shipped", "invoiced")
LOCK_WAIT_S = 10.0  # a transfer takes a few requests; waiting beats a retry

Mapper = Callable[[Mapping[str, Any], str], Order]
TransferListener = Callable[[Order, int], Any]


class OrderTransfer:
    def __init__(
        self,
        database: Database,
        rackbeat: RackbeatClient,
        links: OrderLinks,
        customers: CustomerResolver,
        shops: Mapping[str, ShopConfig],
        mappers: Mapping[str, Mapper],
        on_transferred: TransferListener | None = None,
    ) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._links = links
        self._customers = customers
        self._shops = shops
        self._mappers = mappers
        self._on_transferred = on_transferred

    async def handle(self, job: Job) -> None:
        shop_id, shop_order_id = job.payload["shop"], job.payload["order"]
        async with session_lock(self._database.pool, ORDER_LOCKS, f"{shop_id}:{shop_order_id}", wait_s=LOCK_WAIT_S) as held:
            if not held:
                raise RetryableError(f"order {shop_id}:{shop_order_id} is being transferred by another job", retry_after=1.0)
            link = await self._load(shop_id, shop_order_id)
            shop = self._shops[shop_id]
            if link.rackbeat_order_number is None:
                order = self._mappers[link.payload_format](link.payload, shop_id)
                decision = transfer_decision(order, transfer_rule(shop), backfill=link.backfill)
                if not decision.transfer:
                    await self._set_state(link, SKIPPED if order.cancelled else WAITING, decision.reason)
                    return
                try:
                    link = await self._create(link, order, shop)
                except TerminalError as exc:
                    await self._park(link, exc)
                    raise
            elif self._on_transferred is not None:  # a run after the link: the stock mark may have been lost
                order = self._mappers[link.payload_format](link.payload, shop_id)
                await self._on_transferred(order, link.rackbeat_order_number)
            await self._process(link, shop)

    async def _load(self, shop_id: str, shop_order_id: str) -> OrderLink:
        async with self._database.pool.acquire() as conn:
            link = await self._links.get(conn, shop_id, shop_order_id)
        if link is None:
            raise TerminalError(f"no stored order {shop_id}:{shop_order_id}", shop=shop_id, order=shop_order_id)
        return link

    async def _create(self, link: OrderLink, order: Order, shop: ShopConfig) -> OrderLink:
        """The link to the Rackbeat order created, or found when an earlier attempt's answer was lost."""
        if link.create_attempted_at is not None and (adopted := await self._adopt_existing(link, order)):
            return adopted
        problems = line_problems(order)
        if problems:  # before any remote write: a bad SKU must not leave a customer behind either
            raise TerminalError("; ".join(map(str, problems)), shop=order.shop_id, order=order.shop_order_id)
        customer = await self._customers.resolve(order, shop)
        payload = build_order_payload(
            order,
            customer_number=str(customer),
            reference=link.reference,
            options=PayloadOptions(
                shipping_product=shop.orders.shipping_product,
                rounding_product=shop.orders.rounding_product,
                location_id=shop.orders.location,
            ),
        )
        async with self._database.pool.acquire() as conn:
            await self._links.mark_create_attempted(conn, link)
        try:
            created = await self._rackbeat.create_order(payload, draft=shop.orders.process_to == "draft")
        except TerminalApiError as exc:
            raise unknown_sku_error(exc, order, payload) or exc
        return await self._linked(link, order, int(created["number"]), customer, initial_step(shop))

    async def _adopt_existing(self, link: OrderLink, order: Order) -> OrderLink | None:
        """A previous attempt may have created the order; if so, link it instead of creating another."""
        found = await self._rackbeat.find_orders_by_reference(link.reference)
        if not found:
            return None
        first = min(found, key=lambda o: int(o["number"]))
        customer = (first.get("customer") or {}).get("number") or first.get("customer_id")
        step = "booked" if first.get("is_booked") else "draft"
        log.info("order.adopted", shop=link.shop_id, order=link.shop_order_id, rackbeat_order=first["number"])
        return await self._linked(link, order, int(first["number"]), int(customer) if customer else None, step)

    async def _linked(
        self, link: OrderLink, order: Order, number: int, customer: int | None, step: str
    ) -> OrderLink:
        async with self._database.pool.acquire() as conn:
            linked = await self._links.link_rackbeat_order(
                conn, link, order_number=number, customer_number=customer, processed_to=step
            )
        elapsed = dt.datetime.now(dt.timezone.utc) - link.first_seen_at
        log.info(
            "order.transferred",
            shop=link.shop_id,
            order=link.shop_order_id,
            order_name=order.name,
            rackbeat_order=number,
            customer=customer,
            total=str(order.total),
            currency=order.currency,
            ms=round(elapsed.total_seconds() * 1000),
        )
        if self._on_transferred is not None:
            await self._on_transferred(order, number)
        return linked

    async def _process(self, link: OrderLink, shop: ShopConfig) -> None:
        """Take the linked order as far as the shop's ``process_to`` says, resuming where it stopped."""
        target = shop.orders.process_to
        done = link.processed_to or "draft"
        number = link.rackbeat_order_number
        if STEPS.index(done) >= STEPS.index(target):
            return
        order = await self._rackbeat.get_order(number)
        if order is None:
            raise TerminalError(f"Rackbeat order {number} linked to {link.shop_id}:{link.shop_order_id} is gone")
        if not order.get("is_booked"):
            await self._rackbeat.book_order(number)
        await self._step(link, "booked")
        if target in ("shipped", "invoiced") and not order.get("is_shipped"):
            open_shipments = [s for s in await self._rackbeat.order_shipments(number) if not s.get("is_shipped")]
            shipment = open_shipments[0] if open_shipments else await self._rackbeat.create_shipment(number)
            await self._rackbeat.mark_shipment_shipped(shipment["id"])
        if target in ("shipped", "invoiced"):
            await self._step(link, "shipped")
        if target == "invoiced" and not order.get("is_invoiced"):
            await self._rackbeat.convert_to_invoice(number)
        if target == "invoiced":
            await self._step(link, "invoiced")
        log.info("order.processed", shop=link.shop_id, order=link.shop_order_id, rackbeat_order=number, step=target)

    async def _step(self, link: OrderLink, step: str) -> None:
        async with self._database.pool.acquire() as conn:
            await self._links.set_processed_to(conn, link, step)

    async def _set_state(self, link: OrderLink, state: str, reason: str) -> None:
        async with self._database.pool.acquire() as conn:
            await self._links.set_state(conn, link, state, reason)
        log.info(f"order.{state}", shop=link.shop_id, order=link.shop_order_id, reason=reason)

    async def _park(self, link: OrderLink, exc: TerminalError) -> None:
        await self._set_state_quiet(link, exc.reason)
        log.warning(
            "order.parked",
            shop=link.shop_id,
            order=link.shop_order_id,
            order_name=link.name,
            reason=exc.reason,
            sku=exc.context.get("sku"),
        )

    async def _set_state_quiet(self, link: OrderLink, reason: str) -> None:
        async with self._database.pool.acquire() as conn:
            await self._links.set_state(conn, link, PARKED, reason)


def initial_step(shop: ShopConfig) -> str:
    """What Rackbeat's create already did: drafts stay drafts, everything else is created booked."""
    return "draft" if shop.orders.process_to == "draft" else "booked"
