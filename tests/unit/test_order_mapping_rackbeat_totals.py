"""Rackbeat's total contract and the line-price fitting that targets it."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from daemon.sync.orders import PayloadOptions, build_order_payload, order_from_shopify_rest, rackbeat_order_total
from daemon.sync.orders.line_fit import fit_line
from daemon.sync.orders.rackbeat_totals import line_net
from tests.fixtures.shop_orders import D, Item, Scenario, shopify_rest_order, tax_on


def half_up_cents(value: Fraction) -> Fraction:
    """Independent rounding: exact fractions, half away from zero for positive amounts."""
    scaled = value * 100
    whole = scaled.numerator // scaled.denominator
    return Fraction(whole + (1 if scaled - whole >= Fraction(1, 2) else 0), 100)


def contract_total(lines: list[dict]) -> Fraction:
    total = Fraction(0)
    for line in lines:
        q, price = Fraction(line["quantity"]), Fraction(line["line_price"])
        discount, vat = Fraction(line["discount_percentage"]), Fraction(line["vat_percentage"])
        net = half_up_cents(q * price * (1 - discount / 100))
        total += net + half_up_cents(net * vat / 100)
    return total


def test_order_total_follows_the_contract() -> None:
    rng = random.Random(7)
    for _ in range(300):
        lines = [
            {
                "quantity": str(rng.randint(1, 40)),
                "line_price": str(Decimal(rng.randint(1, 10_000_000)) / 10_000),
                "discount_percentage": str(Decimal(rng.randint(0, 1_000_000)) / 10_000),
                "vat_percentage": rng.choice(["25", "12", "0", "6"]),
            }
            for _ in range(rng.randint(1, 8))
        ]
        assert Fraction(rackbeat_order_total({"lines": lines})) == contract_total(lines)


def test_order_total_accepts_parsed_json_numbers() -> None:
    line = {"quantity": 3, "line_price": 26.664, "discount_percentage": 0, "vat_percentage": 25}
    assert rackbeat_order_total({"lines": [line]}) == D("79.99") + D("20.00")


@pytest.mark.parametrize("seed", range(5))
def test_fit_hits_the_net_exactly_for_ordinary_quantities(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        quantity = D(rng.randint(1, 100))
        gross_unit = D(rng.randint(1, 500_000)) / 100
        rate = D(rng.choice([25, 12, 0]))
        discount = D(rng.choice([0, 0, rng.randint(1, 60)])) / 100 * gross_unit * quantity
        charged = (gross_unit * quantity - discount).quantize(D("0.01"))
        net = charged - tax_on(charged, rate, True)
        unit = (gross_unit / (1 + rate / 100)).quantize(D("0.0001"))

        fitted = fit_line(quantity, unit, net, discounted=discount != 0)

        assert fitted is not None
        price, percent = fitted
        assert line_net(quantity, price, percent) == net
        if discount == 0:
            assert percent == 0  # an undiscounted line never shows a made-up discount


def test_zero_quantity_and_free_lines() -> None:
    assert fit_line(D(0), D("10"), D(0), discounted=False) == (D("10.0000"), D(0))
    price, percent = fit_line(D(2), D("10"), D(0), discounted=True)
    assert line_net(D(2), price, percent) == 0 and percent == 100


def test_huge_quantity_that_cannot_be_fitted_still_totals_via_rounding() -> None:
    rng = random.Random(3)
    options = PayloadOptions(shipping_product="SHIPPING", rounding_product="ROUNDING")
    unfitted = 0
    for _ in range(200):
        item = Item("BOLT-M6", "Bolt", rng.choice([4321, 9999, 12345]), D(rng.randint(1, 100_000)) / 100, D(12))
        scenario = Scenario(items=(item,), taxes_included=True)
        order = order_from_shopify_rest(shopify_rest_order(scenario), "shopA")
        line = order.lines[0]
        unfitted += fit_line(line.quantity, line.unit_price_excl_vat, line.net_total, discounted=False) is None

        payload = build_order_payload(order, customer_number="1", reference="r", options=options)

        assert rackbeat_order_total(payload) == order.total
    assert unfitted  # the scenario really exercises the fallback
