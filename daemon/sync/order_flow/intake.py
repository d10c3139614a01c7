"""Every sighting of a shop order (webhook or poll, any topic) goes through ``OrderIntake.accept``.

It stores the newest version (an older payload never overwrites newer state), decides whether the
order is at the shop's transfer trigger, and queues the transfer in the same transaction. A transferred
order is never queued again: a cancel or an edit after transfer is logged and flagged instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

import asyncpg

from daemon.config.model import ShopConfig
from daemon.db.commits import unflushed_transaction
from daemon.db.database import Database
from daemon.logs.setup import get_logger
from daemon.queue.store import JobQueue
from daemon.sync.model import Order
from daemon.sync.order_flow.links import PARKED, QUEUED, SKIPPED, TRANSFERRED, WAITING, OrderLink, OrderLinks
from daemon.sync.orders import TransferRule, transfer_decision

TRANSFER_KIND = "order.transfer"
CANCEL_KIND = "order.cancel"
log = get_logger()

Mapper = Callable[[Mapping[str, Any], str], Order]
StoredListener = Callable[[asyncpg.Connection, Order], Awaitable[None]]


def transfer_rule(shop: ShopConfig) -> TransferRule:
    start = None
    if shop.start_date is not None:
        start = dt.datetime.combine(shop.start_date, dt.time(), tzinfo=dt.timezone.utc)
    return TransferRule(
        shopify_trigger=shop.orders.trigger,
        woo_statuses=frozenset(shop.orders.statuses),
        start_date=start,
    )


def transfer_job_key(shop_id: str, shop_order_id: str) -> str:
    return f"order:{shop_id}:{shop_order_id}"


@dataclass(frozen=True)
class Sighting:
    """One version of a shop order as it arrived, with the raw payload kept for the transfer to re-map."""

    order: Order
    payload_format: str  # shopify_rest | shopify_graphql | woocommerce
    payload: Mapping[str, Any]
    backfill: bool = False


class OrderIntake:
    def __init__(
        self,
        database: Database,
        queue: JobQueue,
        links: OrderLinks,
        shops: Mapping[str, ShopConfig],
        on_stored: StoredListener | None = None,
    ) -> None:
        self._database = database
        self._queue = queue
        self._links = links
        self._shops = shops
        self._on_stored = on_stored  # runs in the intake's transaction (stock reservations move with it)

    async def accept(self, sighting: Sighting) -> str:
        """What happened to this version: queued, waiting, skipped, stale, duplicate (the stored version
        again, already acted on in the transaction that stored it), or an after-transfer note."""
        order = sighting.order
        bound = log.bind(shop=order.shop_id, order=order.shop_order_id, order_name=order.name)
        shop = self._shops.get(order.shop_id)
        if shop is None:
            bound.debug("order.ignored", reason="order sync is off for this shop")
            return "disabled"
        # Unflushed: the inbox job's completion, committed after it, flushes it (and a transfer it
        # queued flushes it before any remote call, with its own create mark).
        async with self._database.pool.acquire() as conn, unflushed_transaction(conn):
            stored = await self._links.upsert_newest(
                conn,
                shop_id=order.shop_id,
                shop_order_id=order.shop_order_id,
                name=order.name,
                updated_at=order.updated_at,
                payload_format=sighting.payload_format,
                payload=dict(sighting.payload),
                backfill=sighting.backfill,
            )
            if stored is None:
                if await self._links.is_stored(conn, order.shop_id, order.shop_order_id, order.updated_at):
                    bound.debug("order.duplicate_ignored", shop_updated_at=order.updated_at.isoformat())
                    return "duplicate"  # handled in full when it was first stored
                bound.info("order.stale_ignored", shop_updated_at=order.updated_at.isoformat())
                return "stale"
            link, _ = stored
            if link.shop_updated_at == order.updated_at:  # this version is the stored one
                await self._links.replace_lines(conn, order)
            outcome = await self._act(conn, link, order, shop, bound)
            if self._on_stored is not None:  # last: what it writes is shared by every order, so keep it short
                await self._on_stored(conn, order)
            return outcome

    async def _act(self, conn, link: OrderLink, order: Order, shop: ShopConfig, bound) -> str:
        """Queue, hold or skip the stored version, or note what changed after its transfer."""
        if link.rackbeat_order_number is not None or link.state == TRANSFERRED:
            return await self._after_transfer(conn, link, order, shop, bound)
        decision = transfer_decision(order, transfer_rule(shop), backfill=link.backfill)
        if decision.transfer:
            await self._links.set_state(conn, link, QUEUED)
            await self._queue.enqueue(
                TRANSFER_KIND,
                {"shop": order.shop_id, "order": order.shop_order_id},
                connection="rackbeat",
                dedupe_key=transfer_job_key(order.shop_id, order.shop_order_id),
                conn=conn,
            )
            if link.state != QUEUED:
                bound.info("order.queued", reason=decision.reason)
            return "queued"
        if link.state in (QUEUED, PARKED) and not order.cancelled:
            return link.state  # a transfer is under way or parked; the job re-reads the newest version
        state = SKIPPED if order.cancelled else WAITING
        await self._links.set_state(conn, link, state, decision.reason)
        bound.info(f"order.{state}", reason=decision.reason)
        return state

    async def _after_transfer(self, conn, link: OrderLink, order: Order, shop: ShopConfig, bound) -> str:
        if order.cancelled and link.shop_cancelled_at is None:
            note = f"cancelled in {order.shop_id} after transfer to Rackbeat order {link.rackbeat_order_number}"
            await self._links.flag(conn, link, note, cancelled=True)
            bound.warning("order.cancelled_after_transfer", rackbeat_order=link.rackbeat_order_number)
            if shop.orders.cancel_in_rackbeat and link.rackbeat_order_number is not None:
                await self._queue.enqueue(
                    CANCEL_KIND,
                    {"shop": order.shop_id, "order": order.shop_order_id},
                    connection="rackbeat",
                    dedupe_key=f"order-cancel:{order.shop_id}:{order.shop_order_id}",
                    conn=conn,
                )
            return "cancelled_after_transfer"
        if not order.cancelled:
            bound.info("order.updated_after_transfer", rackbeat_order=link.rackbeat_order_number)
        return "already_transferred"
