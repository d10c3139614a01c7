"""Every sighting of a shop order (webhook or poll, any topic) goes through ``OrderIntake.accept``.

It stores the newest version (an older payload never overwrites newer state), decides whether the
order is at the shop's transfer trigger, and queues the transfer in the same transaction. A transferred
order is never queued again: a cancel or an edit after transfer is logged and flagged instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Mapping, Sequence

import asyncpg

from daemon.config.model import ShopConfig
from daemon.db.commits import unflushed_transaction
from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.logs.setup import get_logger
from daemon.queue.store import JobQueue, KeyedJob
from daemon.sync.model import Order
from daemon.sync.order_flow.links import (
    PARKED,
    QUEUED,
    SKIPPED,
    TRANSFERRED,
    WAITING,
    OrderLink,
    OrderLinks,
    OrderVersion,
)
from daemon.sync.orders import TransferRule, transfer_decision

TRANSFER_KIND = "order.transfer"
CANCEL_KIND = "order.cancel"
log = get_logger()

Mapper = Callable[[Mapping[str, Any], str], Order]
StoredListener = Callable[[asyncpg.Connection, Sequence[Order]], Awaitable[None]]
Outcome = str | BaseException


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


@dataclass
class _Plan:
    """What a batch's decisions write, written together once every order is decided."""

    states: list[tuple[OrderLink, str, str | None]] = field(default_factory=list)
    transfers: list[KeyedJob] = field(default_factory=list)


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
        [outcome] = await self.accept_many([sighting])
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    async def accept_many(self, sightings: Sequence[Sighting]) -> list[Outcome]:
        """Each sighting's outcome (as :meth:`accept` returns it, or its error), at most one per order.

        All are stored and acted on in one transaction, a few statements for the whole batch. Should
        that transaction fail, each sighting is tried again in one of its own, so one order's trouble
        is only its own outcome.
        """
        keys = [(s.order.shop_id, s.order.shop_order_id) for s in sightings]
        if len(set(keys)) != len(keys):
            raise ValueError("accept_many takes at most one sighting per order")
        outcomes: list[Outcome] = ["disabled"] * len(sightings)
        wanted = []
        for index, sighting in enumerate(sightings):
            if sighting.order.shop_id in self._shops:
                wanted.append(index)
            else:
                log.debug("order.ignored", shop=sighting.order.shop_id, order=sighting.order.shop_order_id,
                          reason="order sync is off for this shop")
        if not wanted:
            return outcomes
        try:
            # Unflushed: the inbox job's completion, committed after it, flushes it (and a transfer it
            # queued flushes it before any remote call, with its own create mark).
            async with self._database.pool.acquire() as conn, unflushed_transaction(conn):
                done = await self._store_and_act(conn, [sightings[i] for i in wanted])
        except CONNECTION_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - isolate the order that caused it
            if len(wanted) == 1:
                done = [exc]
            else:
                done = [outcome for i in wanted for outcome in await self.accept_many([sightings[i]])]
        for index, outcome in zip(wanted, done, strict=True):
            outcomes[index] = outcome
        return outcomes

    async def _store_and_act(self, conn: asyncpg.Connection, sightings: Sequence[Sighting]) -> list[Outcome]:
        versions = [OrderVersion(s.order, s.payload_format, dict(s.payload), s.backfill) for s in sightings]
        stored = await self._links.upsert_newest(conn, versions)
        keys = [(s.order.shop_id, s.order.shop_order_id) for s in sightings]
        unwritten = [key for key in keys if key not in stored]
        versions_kept = await self._links.stored_versions(conn, unwritten) if unwritten else {}
        # the orders whose version is now the stored one (not a backfill mark added to a newer version)
        current = [
            s.order for s, key in zip(sightings, keys) if key in stored and stored[key][0].shop_updated_at == s.order.updated_at
        ]
        await self._links.replace_lines(conn, current)
        plan = _Plan()
        outcomes: list[Outcome] = []
        for sighting, key in zip(sightings, keys):
            order = sighting.order
            bound = log.bind(shop=order.shop_id, order=order.shop_order_id, order_name=order.name)
            if key not in stored:
                if versions_kept.get(key) == order.updated_at:
                    bound.debug("order.duplicate_ignored", shop_updated_at=order.updated_at.isoformat())
                    outcomes.append("duplicate")  # handled in full when it was first stored
                else:
                    bound.info("order.stale_ignored", shop_updated_at=order.updated_at.isoformat())
                    outcomes.append("stale")
                continue
            link, _ = stored[key]
            outcomes.append(await self._act(conn, link, order, self._shops[order.shop_id], bound, plan))
        await self._links.set_states(conn, plan.states)
        await self._queue.enqueue_keyed(conn, TRANSFER_KIND, plan.transfers)
        if self._on_stored is not None and current:  # last: what it writes is shared by every order
            await self._on_stored(conn, current)
        return outcomes

    async def _act(self, conn, link: OrderLink, order: Order, shop: ShopConfig, bound, plan: _Plan) -> str:
        """Queue, hold or skip the stored version (into ``plan``), or note what changed after its transfer."""
        if link.rackbeat_order_number is not None or link.state == TRANSFERRED:
            return await self._after_transfer(conn, link, order, shop, bound)
        decision = transfer_decision(order, transfer_rule(shop), backfill=link.backfill)
        if decision.transfer:
            plan.states.append((link, QUEUED, None))
            plan.transfers.append(
                KeyedJob(
                    transfer_job_key(order.shop_id, order.shop_order_id),
                    "rackbeat",
                    {"shop": order.shop_id, "order": order.shop_order_id},
                )
            )
            if link.state != QUEUED:
                bound.info("order.queued", reason=decision.reason)
            return "queued"
        if link.state in (QUEUED, PARKED) and not order.cancelled:
            return link.state  # a transfer is under way or parked; the job re-reads the newest version
        state = SKIPPED if order.cancelled else WAITING
        plan.states.append((link, state, decision.reason))
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
