"""A started :class:`SandboxWorld` on free ports and a client for each of its emulators, with the
sandbox's own credentials. Test modules import the fixtures ``world`` and ``session`` from here."""

from __future__ import annotations

import aiohttp
import pytest

from daemon.sandbox.credentials import FREE_PORTS, ShopifyShop, WooSite
from daemon.sandbox.ongoing.harness import Harness as OngoingHarness
from daemon.sandbox.rackbeat.harness import Harness as RackbeatHarness
from daemon.sandbox.shopify.testing import ShopClient
from daemon.sandbox.woocommerce.testing import WooClient
from daemon.sandbox.world import SandboxWorld


@pytest.fixture
async def world():
    async with SandboxWorld(ports=FREE_PORTS) as started:
        yield started


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


def rackbeat(world: SandboxWorld, session: aiohttp.ClientSession) -> RackbeatHarness:
    return RackbeatHarness(world.rackbeat, world.base_urls["rackbeat"], session)


def shopify(world: SandboxWorld, session: aiohttp.ClientSession, shop: ShopifyShop) -> ShopClient:
    return ShopClient(session, world.base_urls["shopify"], shop.id, shop.access_token)


def woocommerce(world: SandboxWorld, session: aiohttp.ClientSession, site: WooSite) -> WooClient:
    spec = world.woocommerce.sites[site.id].spec
    return WooClient(world.woocommerce, session, world.base_urls["woocommerce"], spec)


def ongoing(world: SandboxWorld, session: aiohttp.ClientSession) -> OngoingHarness:
    return OngoingHarness(world.ongoing, world.base_urls["ongoing"], session)
