"""Money helpers: Shopify keeps cents exact, rounds each tax and allocation once, prints amounts as strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(value: Decimal) -> Decimal:
    """Round to whole cents, half away from zero.

    [I] Shopify's exact rounding mode for per-line taxes is not documented in our notes; half-up is the usual
    commercial rule and what merchants see on receipts. Pinned in test_shopify_money.py (2.525 -> 2.53).
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rest_amount(value: Decimal) -> str:
    """REST money string, always two decimals (``"199.00"``)."""
    return f"{to_cents(value):.2f}"


def rest_money_set(value: Decimal, currency: str) -> dict:
    """The ``*_set`` twin REST puts next to every money string."""
    money = {"amount": rest_amount(value), "currency_code": currency}
    return {"shop_money": money, "presentment_money": dict(money)}


def graphql_decimal(value: Decimal) -> str:
    """GraphQL ``Decimal`` scalar: [I] Shopify drops trailing zeros but keeps one decimal (``"24.0"``)."""
    text = format(to_cents(value).normalize(), "f")
    return text if "." in text else f"{text}.0"


def allocate(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` across ``weights`` proportionally in cents; the rounding remainder goes to the last."""
    if not weights:
        return []
    weight_sum = sum(weights, ZERO)
    if weight_sum == 0:
        return [ZERO] * (len(weights) - 1) + [to_cents(total)]
    shares = [to_cents(total * weight / weight_sum) for weight in weights[:-1]]
    return shares + [to_cents(total) - sum(shares, ZERO)]
