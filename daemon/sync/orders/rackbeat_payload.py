"""Order + shop options -> the Rackbeat ``POST /orders`` body, whose total equals the shop's to the cent.

Each shop line maps 1:1 to a Rackbeat line by SKU, shipping to the shop's shipping product. Line
prices are fitted so Rackbeat's own rounding (see rackbeat_totals) reproduces each shop line total;
the few cents that per-line VAT rounding can still differ by go on a VAT-free rounding line. A larger
difference means a mapping bug or a shop feature we do not map, and is never sent.

Numbers are fixed-point strings ("26.6640"): exact, JSON-safe, and accepted by Rackbeat as numeric.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from daemon.errors import TerminalError
from daemon.sync.model import SHOPIFY, WOOCOMMERCE, Address, Order, OrderLine, ShippingLine
from daemon.sync.orders.amounts import ZERO, plain, round_half_up, to_decimal
from daemon.sync.orders.line_fit import closest_price, fit_line
from daemon.sync.orders.rackbeat_totals import rackbeat_line_net, rackbeat_order_total
from daemon.sync.orders.validation import line_problems

HEADING_PREFIX = {SHOPIFY: "Shopify", WOOCOMMERCE: "WooCommerce"}
ROUNDING_NAME = "Rounding difference"
# Per-line VAT rounding can move each line by a cent; anything beyond this is not rounding.
BASE_ALLOWANCE = Decimal("0.02")
ALLOWANCE_PER_LINE = Decimal("0.01")


@dataclass(frozen=True)
class PayloadOptions:
    """The shop's Rackbeat settings that shape an order."""

    shipping_product: str
    rounding_product: str
    always_add_shipping: bool = False
    location_id: int | str | None = None
    heading_prefix: str | None = None


def build_order_payload(order: Order, *, customer_number: str, reference: str, options: PayloadOptions) -> dict:
    """The ``POST /orders`` JSON for ``order``; ``reference`` is the daemon's idempotency reference.

    Raises TerminalError if a line cannot be mapped (see validation) or the total cannot be matched.
    """
    problems = line_problems(order)
    if problems:
        raise TerminalError("; ".join(map(str, problems)), shop_id=order.shop_id, order=order.shop_order_id)
    sent = [(_product_line(line, options), line.net_total) for line in order.lines]
    sent += [
        (_shipping_line(line, options), line.net_total)
        for line in order.shipping_lines
        if options.always_add_shipping or line.net_total != ZERO
    ]
    lines = [line for line, _ in sent]
    payload: dict[str, Any] = {
        "customer_id": customer_number,
        "currency": order.currency,
        "other_reference": reference,
        "heading": f"{options.heading_prefix or HEADING_PREFIX[order.shop_type]} {order.name}",
        "order_date": order.created_at.date().isoformat(),
        **_address_fields("address_", order.billing_address),
        **_address_fields("delivery_address_", order.shipping_address),
        "lines": lines,
    }
    difference = order.total - rackbeat_order_total(payload)
    if difference != ZERO:
        _check_allowance(order, difference, _rounding_allowance(sent))
        lines.append(_rounding_line(difference, options))
    _verify(order, payload)
    return payload


def _product_line(line: OrderLine, options: PayloadOptions) -> dict:
    data = _priced_line(
        line.sku or "",
        line.name,
        line.quantity,
        line.unit_price_excl_vat,
        line.net_total,
        line.vat_rate,
        discounted=line.discount != ZERO,
    )
    if options.location_id is not None:
        data["location_id"] = options.location_id
    return data


def _shipping_line(line: ShippingLine, options: PayloadOptions) -> dict:
    net = line.net_total
    return _priced_line(options.shipping_product, line.title, Decimal(1), net, net, line.vat_rate, discounted=False)


def _priced_line(
    item_id: str, name: str, quantity: Decimal, unit_price: Decimal, net: Decimal, vat: Decimal, *, discounted: bool
) -> dict:
    """A Rackbeat line whose rounded total is ``net``; if no 4-decimal price fits, the nearest one."""
    fitted = fit_line(quantity, unit_price, net, discounted=discounted)
    price, discount = fitted or (closest_price(quantity, net), ZERO)
    return {
        "item_id": item_id,
        "name": name,
        "quantity": plain(quantity),
        "line_price": plain(round_half_up(price, 4)),
        "discount_percentage": plain(round_half_up(discount, 4)),
        "vat_percentage": plain(vat),
    }


def _rounding_line(difference: Decimal, options: PayloadOptions) -> dict:
    return {
        "item_id": options.rounding_product,
        "name": ROUNDING_NAME,
        "quantity": "1",
        "line_price": plain(round_half_up(difference, 4)),
        "discount_percentage": "0.0000",
        "vat_percentage": "0",
    }


def _address_fields(prefix: str, address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    values = {
        "name": address.company if address.company and not address.name else address.name,
        "street": address.street,
        "street2": address.street2,
        "city": address.city,
        "zipcode": address.zipcode,
        "state": address.state,
        "country": address.country or address.country_code,
    }
    return {f"{prefix}{key}": value for key, value in values.items() if value}


def _rounding_allowance(sent: list[tuple[dict, Decimal]]) -> Decimal:
    """How far off the total rounding alone can leave us: per line a cent of VAT, plus whatever the
    fitted price missed the shop's line total by (large quantities), with its VAT."""
    allowance = BASE_ALLOWANCE
    for line, shop_net in sent:
        missed = abs(shop_net - rackbeat_line_net(line))
        allowance += ALLOWANCE_PER_LINE + missed * (1 + to_decimal(line["vat_percentage"]) / 100)
    return allowance


def _check_allowance(order: Order, difference: Decimal, allowance: Decimal) -> None:
    if abs(difference) > allowance:
        raise TerminalError(
            f"shop {order.shop_id} order {order.name} (id {order.shop_order_id}): mapped lines total "
            f"{order.total - difference} {order.currency} but the shop total is {order.total}; the difference "
            f"{difference} exceeds the {allowance} rounding allows (unmapped fees, duties or a mapping bug)",
            shop_id=order.shop_id,
            order=order.shop_order_id,
            difference=str(difference),
        )


def _verify(order: Order, payload: dict) -> None:
    """Never hand out a payload whose Rackbeat total differs from the shop's."""
    total = rackbeat_order_total(payload)
    if total != order.total:
        raise TerminalError(
            f"shop {order.shop_id} order {order.name} (id {order.shop_order_id}): Rackbeat would total "
            f"{total} {order.currency}, the shop total is {order.total}",
            shop_id=order.shop_id,
            order=order.shop_order_id,
        )
