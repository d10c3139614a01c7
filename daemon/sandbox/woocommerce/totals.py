"""WooCommerce's checkout money math (``WC_Cart_Totals`` + ``WC_Discounts`` + ``WC_Tax``), in cents.

Kept faithful because the daemon books these numbers into Rackbeat: line subtotals/totals are stored
unrounded (net of unrounded tax when prices include tax), taxes are rounded per line to the cent (half-down
when prices include tax, half-up otherwise), discounts are applied to the as-entered price (tax-inclusive
when prices include tax) and their tax part is split off afterwards, and the grand total is the sum of
rounded line totals plus the per-line-rounded taxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal(1)
HUNDRED = Decimal(100)


def php_round(value: Decimal, mode: str = ROUND_HALF_UP) -> Decimal:
    """``NumberUtil::round($value, 0)`` on a cent amount."""
    return value.quantize(CENT, rounding=mode)


@dataclass(frozen=True)
class TaxRate:
    id: int
    percent: Decimal
    label: str
    rate_code: str
    compound: bool = False


@dataclass
class CartLine:
    key: int
    quantity: int
    unit_price: Decimal  # as entered in the shop (incl. tax when prices_include_tax)
    rates: list[TaxRate]


@dataclass(frozen=True)
class CouponSpec:
    code: str
    discount_type: str  # percent | fixed_cart
    amount: Decimal


@dataclass
class LineResult:
    subtotal: Decimal
    subtotal_tax: Decimal
    total: Decimal
    total_tax: Decimal
    taxes_total: dict[int, Decimal]
    taxes_subtotal: dict[int, Decimal]


@dataclass
class CartResult:
    lines: dict[int, LineResult]
    coupon_discount: dict[str, Decimal]
    coupon_discount_tax: dict[str, Decimal]
    discount_total: Decimal
    discount_tax: Decimal
    shipping_total: Decimal
    shipping_taxes: dict[int, Decimal]
    item_taxes: dict[int, Decimal]
    total: Decimal
    rates: dict[int, TaxRate] = field(default_factory=dict)


def calc_tax(price: Decimal, rates: list[TaxRate], inclusive: bool) -> dict[int, Decimal]:
    """``WC_Tax::calc_tax``: unrounded per-rate tax of a cent amount."""
    return _inclusive_tax(price, rates) if inclusive else _exclusive_tax(price, rates)


def _exclusive_tax(price: Decimal, rates: list[TaxRate]) -> dict[int, Decimal]:
    taxes = {rate.id: price * rate.percent / HUNDRED for rate in rates if not rate.compound}
    pre_compound = sum(taxes.values(), Decimal(0))
    for rate in rates:
        if rate.compound:
            taxes[rate.id] = (price + pre_compound) * rate.percent / HUNDRED
    # WC_Tax::round: 6 decimals (of cents), before the cart rounds to the cent.
    return {key: value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) for key, value in taxes.items()}


def _inclusive_tax(price: Decimal, rates: list[TaxRate]) -> dict[int, Decimal]:
    taxes = {rate.id: Decimal(0) for rate in rates}
    non_compound_price = price
    for rate in reversed([r for r in rates if r.compound]):
        amount = non_compound_price - non_compound_price / (1 + rate.percent / HUNDRED)
        taxes[rate.id] += amount
        non_compound_price -= amount
    regular = [r for r in rates if not r.compound]
    regular_factor = 1 + sum((r.percent for r in regular), Decimal(0)) / HUNDRED
    for rate in regular:
        the_rate = (rate.percent / HUNDRED) / regular_factor
        taxes[rate.id] += price - (price - the_rate * non_compound_price)
    return taxes


class _Discounts:
    """``WC_Discounts`` for percent and fixed_cart coupons, not applied sequentially (the default)."""

    def __init__(self, prices: dict[int, Decimal], quantities: dict[int, int]) -> None:
        # uasort by price*quantity descending; PHP 8 sorts are stable.
        self.order = sorted(prices, key=lambda k: -(prices[k] * quantities[k]))
        self.prices = prices
        self.quantities = quantities
        self.by_coupon: dict[str, dict[int, Decimal]] = {}

    def discounted_price(self, key: int) -> Decimal:
        taken = sum((d.get(key, Decimal(0)) for d in self.by_coupon.values()), Decimal(0))
        return abs(php_round(self.prices[key] - taken))

    def apply(self, coupon: CouponSpec) -> None:
        self.by_coupon.setdefault(coupon.code, {key: Decimal(0) for key in self.order})
        items = [key for key in self.order if self.discounted_price(key) > 0 and self.quantities[key] > 0]
        if coupon.discount_type == "percent":
            self._percent(coupon, items)
        else:
            self._fixed_cart(coupon, items, coupon.amount * HUNDRED)

    def _add(self, coupon: CouponSpec, key: int, amount: Decimal) -> None:
        self.by_coupon[coupon.code][key] += amount

    def _percent(self, coupon: CouponSpec, items: list[int]) -> Decimal:
        total_discount = Decimal(0)
        cart_total = Decimal(0)
        for key in items:
            price_to_discount = php_round(self.prices[key])
            discount = (price_to_discount * coupon.amount / HUNDRED).to_integral_value(rounding=ROUND_FLOOR)
            discount = php_round(min(self.discounted_price(key), discount))
            cart_total += price_to_discount
            total_discount += discount
            self._add(coupon, key, discount)
        cart_discount = php_round(cart_total * coupon.amount / HUNDRED)
        if total_discount < cart_discount:
            total_discount += self._remainder(coupon, items, cart_discount - total_discount)
        return total_discount

    def _fixed_product(self, coupon: CouponSpec, items: list[int], per_unit: Decimal) -> Decimal:
        total_discount = Decimal(0)
        for key in items:
            discount = min(self.discounted_price(key), per_unit * self.quantities[key])
            total_discount += discount
            self._add(coupon, key, discount)
        return total_discount

    def _fixed_cart(self, coupon: CouponSpec, items: list[int], amount: Decimal) -> Decimal:
        items = [key for key in items if self.discounted_price(key) > 0]
        item_count = sum(self.quantities[key] for key in items)
        if not item_count or not amount:
            return Decimal(0)
        per_item = abs(amount / item_count).to_integral_value(rounding=ROUND_FLOOR)
        if per_item > 0:
            total_discount = self._fixed_product(coupon, items, per_item)
            if 0 < total_discount < amount:
                total_discount += self._fixed_cart(coupon, items, amount - total_discount)
            return total_discount
        return self._remainder(coupon, items, amount)

    def _remainder(self, coupon: CouponSpec, items: list[int], amount: Decimal) -> Decimal:
        total_discount = Decimal(0)
        for key in items:
            for _ in range(self.quantities[key]):
                discount = min(self.discounted_price(key), CENT)
                total_discount += discount
                self._add(coupon, key, discount)
                if total_discount >= amount:
                    return total_discount
        return total_discount

    def by_item(self) -> dict[int, Decimal]:
        return {key: sum((d[key] for d in self.by_coupon.values()), Decimal(0)) for key in self.order}


def calculate(
    lines: list[CartLine],
    coupons: list[CouponSpec],
    shipping_total: Decimal,
    shipping_rates: list[TaxRate],
    prices_include_tax: bool,
) -> CartResult:
    """Totals of a cart as WooCommerce stores them on the order; amounts returned in currency units."""
    tax_mode = ROUND_HALF_DOWN if prices_include_tax else ROUND_HALF_UP

    def round_tax(value: Decimal) -> Decimal:
        return php_round(value, tax_mode)

    prices = {line.key: line.unit_price * line.quantity * HUNDRED for line in lines}
    by_key = {line.key: line for line in lines}

    discounts = _Discounts(prices, {line.key: line.quantity for line in lines})
    for coupon in coupons:
        discounts.apply(coupon)
    coupon_discount = {code: sum(d.values(), Decimal(0)) for code, d in discounts.by_coupon.items()}
    coupon_tax = {code: Decimal(0) for code in discounts.by_coupon}
    for code, per_item in discounts.by_coupon.items():
        for key, amount in per_item.items():
            item_tax = sum(calc_tax(amount, by_key[key].rates, prices_include_tax).values(), Decimal(0))
            coupon_tax[code] += item_tax
            if prices_include_tax:
                coupon_discount[code] -= item_tax
    item_discounts = discounts.by_item()

    results: dict[int, LineResult] = {}
    item_taxes: dict[int, Decimal] = {}
    for line in lines:
        price = prices[line.key]
        sub_taxes = calc_tax(price, line.rates, prices_include_tax)
        subtotal = price - sum(sub_taxes.values(), Decimal(0)) if prices_include_tax else price
        total = price - item_discounts.get(line.key, Decimal(0))
        taxes = calc_tax(total, line.rates, prices_include_tax)
        if prices_include_tax:
            total -= sum(taxes.values(), Decimal(0))
        for rate_id, tax in taxes.items():
            item_taxes[rate_id] = item_taxes.get(rate_id, Decimal(0)) + round_tax(tax)
        results[line.key] = LineResult(
            subtotal=subtotal / HUNDRED,
            subtotal_tax=sum((round_tax(t) for t in sub_taxes.values()), Decimal(0)) / HUNDRED,
            total=total / HUNDRED,
            total_tax=sum((round_tax(t) for t in taxes.values()), Decimal(0)) / HUNDRED,
            taxes_total={k: v / HUNDRED for k, v in taxes.items()},
            taxes_subtotal={k: v / HUNDRED for k, v in sub_taxes.items()},
        )

    shipping_cents = shipping_total * HUNDRED
    shipping_taxes = {k: php_round(v) for k, v in _exclusive_tax(shipping_cents, shipping_rates).items()}
    items_total = sum((php_round(r.total * HUNDRED) for r in results.values()), Decimal(0))
    grand_total = php_round(
        items_total + shipping_cents + sum(item_taxes.values(), Decimal(0)) + sum(shipping_taxes.values(), Decimal(0))
    )
    all_discount = sum(item_discounts.values(), Decimal(0))
    all_discount_tax = sum(coupon_tax.values(), Decimal(0))
    rates = {rate.id: rate for line in lines for rate in line.rates} | {rate.id: rate for rate in shipping_rates}
    return CartResult(
        lines=results,
        coupon_discount={k: v / HUNDRED for k, v in coupon_discount.items()},
        coupon_discount_tax={k: v / HUNDRED for k, v in coupon_tax.items()},
        discount_total=(all_discount - all_discount_tax if prices_include_tax else all_discount) / HUNDRED,
        discount_tax=all_discount_tax / HUNDRED,
        shipping_total=shipping_total,
        shipping_taxes={k: v / HUNDRED for k, v in shipping_taxes.items()},
        item_taxes={k: v / HUNDRED for k, v in item_taxes.items()},
        total=grand_total / HUNDRED,
        rates=rates,
    )
