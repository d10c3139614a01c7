"""What the end-to-end tests check once the dust settles: the Rackbeat orders the daemon wrote (found by
the reference it puts in ``other_reference``) and the daemon's own books in the shared database."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from daemon.sandbox.rackbeat.document_model import Document
from daemon.sandbox.rackbeat.money import document_totals
from daemon.sandbox.storefronts import PlacedOrder
from daemon.sandbox.world import SandboxWorld
from daemon.sync.order_flow.handlers import (
    POLLED_SHOPIFY_ORDER,
    POLLED_WOO_ORDER,
    SHOPIFY_ORDER_TOPICS,
    WOO_ORDER_TOPICS,
)
from daemon.sync.order_flow.intake import TRANSFER_KIND
from daemon.sync.order_flow.links import reference_for

ORDER_TOPICS = [*SHOPIFY_ORDER_TOPICS, *WOO_ORDER_TOPICS, POLLED_SHOPIFY_ORDER, POLLED_WOO_ORDER]
REFERENCE_PREFIX = "rbsync:"  # what reference_for() puts before shop and order id


def reference(order: PlacedOrder) -> str:
    return reference_for(order.shop_id, str(order.order_id))


def rackbeat_orders(world: SandboxWorld) -> dict[str, list[Document]]:
    """Every Rackbeat order the daemon created, by reference (more than one each would be a duplicate)."""
    found: dict[str, list[Document]] = defaultdict(list)
    for document in world.rackbeat.state.orders.documents.values():
        other_reference = document.header.get("other_reference") or ""
        if other_reference.startswith(REFERENCE_PREFIX):
            found[other_reference].append(document)
    return found


def total(document: Document) -> Decimal:
    return document_totals(document.lines)["total_total"]


def all_in_rackbeat(world: SandboxWorld, orders: list[PlacedOrder]) -> bool:
    found = rackbeat_orders(world)
    return all(reference(order) in found for order in orders)


def wrong_totals(world: SandboxWorld, orders: list[PlacedOrder]) -> list[tuple[str, str, Decimal]]:
    """(reference, shop total, Rackbeat total) for every order whose Rackbeat total differs."""
    found = rackbeat_orders(world)
    return [
        (reference(order), order.total, total(document))
        for order in orders
        for document in found[reference(order)]
        if total(document) != Decimal(order.total)
    ]


async def settled(database_url: str, expected: int) -> bool:
    """All ``expected`` shop orders are transferred and no transfer job is left to run (none could still
    create a late duplicate)."""
    conn = await asyncpg.connect(database_url)
    try:
        transferred = await conn.fetchval("SELECT count(*) FROM shop_orders WHERE state = 'transferred'")
        busy = await conn.fetchval(
            "SELECT count(*) FROM jobs WHERE kind = $1 AND state IN ('pending', 'running')", TRANSFER_KIND
        )
    finally:
        await conn.close()
    return transferred >= expected and busy == 0


@dataclass(frozen=True)
class Arrival:
    """One handled inbox row about a shop order: a webhook (``shopify``, ``woocommerce``) or a ``poll``."""

    shop_id: str
    order_id: str
    source: str
    received_at: dt.datetime


async def arrivals(database_url: str) -> list[Arrival]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT source, connection, body, received_at FROM inbox WHERE topic = ANY($1) AND status <> 'received'",
            ORDER_TOPICS,
        )
    finally:
        await conn.close()
    found = []
    for row in rows:
        body = json.loads(row["body"])
        order_id = str(body.get("legacyResourceId") or body["id"])  # polled GraphQL node | REST order
        found.append(Arrival(row["connection"], order_id, row["source"], row["received_at"]))
    return found


async def sightings(database_url: str) -> dict[tuple[str, str], set[str]]:
    """How each shop order reached the daemons: ``{(shop, order id): {"poll", "shopify" | "woocommerce"}}``."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for arrival in await arrivals(database_url):
        seen[(arrival.shop_id, arrival.order_id)].add(arrival.source)
    return seen


async def troubles(database_url: str) -> dict[str, list]:
    """Failed jobs and shop orders not transferred (parked, waiting...): none is expected."""
    conn = await asyncpg.connect(database_url)
    try:
        failed = await conn.fetch("SELECT id, kind, payload, last_error FROM jobs WHERE state = 'failed'")
        untransferred = await conn.fetch(
            "SELECT shop_id, shop_order_id, state, reason FROM shop_orders WHERE state <> 'transferred'"
        )
    finally:
        await conn.close()
    return {"failed_jobs": [dict(r) for r in failed], "untransferred": [dict(r) for r in untransferred]}
