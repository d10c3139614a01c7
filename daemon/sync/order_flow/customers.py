"""Which Rackbeat customer an order belongs to: cached by email, else found by email, else created.

Lookup-before-create makes a create whose response was lost harmless (the retry finds it), and a
per-email lock stops two orders of one new customer from creating it twice. The cache is the table
``rackbeat_customers`` (shared by every process, kept across restarts) with the emails this process
has seen in front of it, so a returning customer costs neither a request nor a query.
"""

from __future__ import annotations

from collections import OrderedDict

from daemon.config.model import ShopConfig
from daemon.connectors.rackbeat import RackbeatClient
from daemon.db.database import Database
from daemon.db.locks import CUSTOMER_LOCKS, session_lock
from daemon.errors import RetryableError, TerminalError
from daemon.logs.setup import get_logger
from daemon.sync.model import Order
from daemon.sync.orders import CustomerDefaults, customer_payload

log = get_logger()
REMEMBERED_EMAILS = 50_000  # a few MB; the least recently used are forgotten (the table still has them)


def customer_defaults(shop: ShopConfig) -> CustomerDefaults:
    default = shop.orders.default_customer
    return CustomerDefaults(
        home_country=shop.home_country,
        customer_group_id=shop.orders.customer_group_id,
        payment_terms_id=shop.orders.payment_terms_id,
        default_customer_number="" if default is None else str(default),
    )


class CustomerResolver:
    def __init__(self, database: Database, rackbeat: RackbeatClient, *, remember: int = REMEMBERED_EMAILS) -> None:
        self._database = database
        self._rackbeat = rackbeat
        self._remember = remember
        self._known: OrderedDict[str, int] = OrderedDict()  # email -> customer number, most recent last

    async def resolve(self, order: Order, shop: ShopConfig) -> int:
        email = (order.customer.email or "").strip().lower()
        if not email:
            if shop.orders.default_customer is None:
                raise TerminalError(
                    f"shop {order.shop_id} order {order.name} ({order.shop_order_id}) has no email and "
                    f"shops.orders.default_customer is not set for {order.shop_id}",
                    shop=order.shop_id,
                    order=order.shop_order_id,
                )
            return shop.orders.default_customer
        known = self._known.get(email)
        if known is not None:
            self._known.move_to_end(email)
            return known
        cached = await self._database.pool.fetchval("SELECT number FROM rackbeat_customers WHERE email = $1", email)
        if cached is not None:
            return self._remembered(email, cached)
        async with session_lock(self._database.pool, CUSTOMER_LOCKS, email, wait_s=10.0) as held:
            if not held:
                raise RetryableError(f"customer {email} is being created by another job", retry_after=1.0)
            number = await self._find_or_create(order, shop, email)
        await self._database.pool.execute(
            "INSERT INTO rackbeat_customers (email, number) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING",
            email,
            number,
        )
        return self._remembered(email, number)

    def _remembered(self, email: str, number: int) -> int:
        self._known[email] = number
        if len(self._known) > self._remember:
            self._known.popitem(last=False)
        return number

    async def _find_or_create(self, order: Order, shop: ShopConfig, email: str) -> int:
        found = await self._rackbeat.find_customer_by_email(email)
        if found is not None:
            return int(found["number"])
        created = await self._rackbeat.create_customer(customer_payload(order, customer_defaults(shop)))
        log.info("customer.created", shop=order.shop_id, order=order.shop_order_id, customer=created["number"])
        return int(created["number"])
