"""The pure parts of the stock flow: the quantity formula, batching, idempotency keys, link reports."""

from __future__ import annotations

from decimal import Decimal

from daemon.sync.stock.batching import chunks, idempotency_key
from daemon.sync.stock.formula import sellable, targets, to_push
from daemon.sync.stock.linker import link_report
from daemon.sync.stock.links import Link
from daemon.sync.stock.shop_targets import PushItem, WooTarget

D = Decimal


def test_sellable_subtracts_reservations_floors_and_clamps():
    assert sellable(D(10), D(3)) == 7
    assert sellable(D("7.9")) == 7
    assert sellable(D("2.5"), D("0.6")) == 1
    assert sellable(D(2), D(5)) == 0
    assert sellable(D(-4)) == 0


def test_targets_only_for_skus_rackbeat_knows_and_only_changed_ones_pushed():
    wanted = targets({"A": D(10), "B": D(1)}, {"A": D(4), "C": D(2)})
    assert wanted == {"A": 6, "B": 1}
    assert to_push(wanted, {"A": 6, "B": 2}) == {"B": 1}
    assert to_push(wanted, {"A": 6, "B": 1}, forced=["A"]) == {"A": 6}


def test_chunks_reach_the_limit():
    assert [len(c) for c in chunks(list(range(600)), 250)] == [250, 250, 100]


def test_idempotency_key_is_stable_per_change_and_new_for_a_new_change():
    batch = [("gid://shopify/InventoryItem/1", "gid://shopify/Location/1", 5)]
    key = idempotency_key("shop", batch, [7])
    assert key == idempotency_key("shop", list(reversed(batch)), [7])  # a retry of the same change
    assert key != idempotency_key("shop", batch, [8])  # the same values again, but a new change
    assert key != idempotency_key("other", batch, [7])
    assert len(key) == 36


def test_woo_batches_group_variations_by_parent():
    def item(sku: str, parent: str | None) -> PushItem:
        return PushItem(Link(sku, sku[1:], sku[1:], parent), 1, 1)

    items = [item(f"S{i}", None) for i in range(150)] + [item("V1", "9"), item("V2", "8"), item("V3", "9")]
    batches = WooTarget("woo", None).batches(items)  # type: ignore[arg-type] - batching needs no client
    assert [(len(b), b[0].link.product_id) for b in batches] == [(100, None), (50, None), (2, "9"), (1, "8")]


def test_link_report_classifies_skus():
    links = [Link("A", "1", "1", None), Link("A", "2", "2", None), Link("B", "3", "3", None), Link("Z", "4", "4", None)]
    report = link_report("shop", links, {"A", "B"})
    assert (report.items, report.skus, report.pushable, report.duplicate, report.unknown) == (4, 3, ["B"], ["A"], ["Z"])
