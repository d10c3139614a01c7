"""Recognising our own writes when they come back.

Writes to Rackbeat carry ``suppress_webhooks``, but the products poller still sees them, and a shop
announces every change we make there with a webhook. So for each (shop, SKU) the flow keeps a hash of
the fields it last wrote or accepted, per side; an incoming change whose fields hash the same is our
own write (or a repeat) and is dropped.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

import asyncpg

from daemon.db.database import Database

SHOP, RACKBEAT = "shop", "rackbeat"


def fingerprint(view: Mapping[str, Any]) -> str:
    text = json.dumps(view, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class EchoGuard:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def is_echo(self, shop_id: str, sku: str, side: str, view: Mapping[str, Any]) -> bool:
        stored = await self._database.pool.fetchval(
            "SELECT fingerprint FROM product_fingerprints WHERE shop_id = $1 AND sku = $2 AND side = $3",
            shop_id,
            sku,
            side,
        )
        return stored == fingerprint(view)

    async def remember(
        self, shop_id: str, sku: str, side: str, view: Mapping[str, Any], conn: asyncpg.Connection | None = None
    ) -> None:
        await (conn or self._database.pool).execute(
            """INSERT INTO product_fingerprints (shop_id, sku, side, fingerprint) VALUES ($1, $2, $3, $4)
               ON CONFLICT (shop_id, sku, side) DO UPDATE SET fingerprint = $4, updated_at = now()""",
            shop_id,
            sku,
            side,
            fingerprint(view),
        )
