"""The customer cache: the table shared by every process, with this process's recent emails in front."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from daemon.sync.order_flow.customers import CustomerResolver


class CountingRackbeat:
    """Rackbeat's customer lookup, counted; every email is customer ``numbers[email]``."""

    def __init__(self, numbers: dict[str, int]) -> None:
        self.numbers = numbers
        self.lookups: list[str] = []

    async def find_customer_by_email(self, email: str):
        self.lookups.append(email)
        return {"number": self.numbers[email]}

    async def create_customer(self, payload):  # pragma: no cover - every test customer exists
        raise AssertionError("no customer should be created here")


def order_of(email: str):
    return SimpleNamespace(customer=SimpleNamespace(email=email), shop_id="shop-a", shop_order_id="1", name="#1")


SHOP = SimpleNamespace(orders=SimpleNamespace(default_customer=None))


async def cached_emails(db) -> dict[str, int]:
    return {r["email"]: r["number"] for r in await db.pool.fetch("SELECT email, number FROM rackbeat_customers")}


async def test_a_known_email_costs_neither_a_request_nor_a_query(db):
    rackbeat = CountingRackbeat({"ann@example.com": 7})
    resolver = CustomerResolver(db, rackbeat)
    assert await resolver.resolve(order_of("Ann@Example.com "), SHOP) == 7
    assert await cached_emails(db) == {"ann@example.com": 7}  # shared with other processes and restarts

    await db.pool.execute("DELETE FROM rackbeat_customers")  # were the table asked, it would miss
    assert await resolver.resolve(order_of("ann@example.com"), SHOP) == 7
    assert rackbeat.lookups == ["ann@example.com"]


async def test_another_process_finds_the_customer_in_the_table(db):
    await db.pool.execute("INSERT INTO rackbeat_customers (email, number) VALUES ('bo@example.com', 12)")
    rackbeat = CountingRackbeat({})
    assert await CustomerResolver(db, rackbeat).resolve(order_of("bo@example.com"), SHOP) == 12
    assert rackbeat.lookups == []


@pytest.mark.parametrize("remember", [1, 2])
async def test_the_memory_forgets_the_least_recently_used_beyond_its_size(db, remember):
    rackbeat = CountingRackbeat({"a@example.com": 1, "b@example.com": 2})
    resolver = CustomerResolver(db, rackbeat, remember=remember)
    await resolver.resolve(order_of("a@example.com"), SHOP)
    await resolver.resolve(order_of("b@example.com"), SHOP)
    await db.pool.execute("DELETE FROM rackbeat_customers")

    assert await resolver.resolve(order_of("a@example.com"), SHOP) == 1
    # with room for one, a was forgotten when b came, so it is looked up again; with two, it is known
    assert rackbeat.lookups == ["a@example.com", "b@example.com"] + (["a@example.com"] if remember == 1 else [])
