"""Orders as a customer places them, with Shopify's money math, and the lifecycle steps a merchant takes.

Money rules (exactly consistent, pinned in test_shopify_money.py):
- line total = unit price × quantity; the order discount (percentage of the line total, or a fixed amount
  capped at it) is allocated across lines in proportion to their totals, cent remainder on the last line;
- each tax line = rate × (line total − allocation), or the included share rate/(1+Σrates) of it when the
  shop's prices include tax; shipping is taxed the same way and never discounted;
- subtotal = Σ line totals − discounts; total = subtotal + shipping + (tax unless included).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .ids import now_utc
from .lifecycle import level_changed, order_changed
from .money import ZERO, allocate, to_cents
from .store import (
    Customer,
    DiscountApplication,
    FulfillmentOrder,
    FulfillmentOrderLineItem,
    InventoryLevel,
    LineItem,
    Order,
    ShippingLine,
    ShopState,
    TaxLine,
)

ADDRESS_FIELDS = (
    "first_name", "last_name", "name", "company", "address1", "address2", "city", "zip",
    "province", "province_code", "country", "country_code", "phone",
)  # fmt: skip
EDITABLE_FIELDS = ("email", "phone", "note", "tags", "shipping_address", "billing_address")
FINANCIAL_STATUSES = (
    "pending",
    "authorized",
    "partially_paid",
    "paid",
    "partially_refunded",
    "refunded",
    "voided",
)
CANCEL_REASONS = ("customer", "declined", "fraud", "inventory", "other", "staff")


class OrderRequestError(ValueError):
    """The control request cannot become an order (unknown SKU, bad amount...)."""


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise OrderRequestError(f"{what} is not a number: {value!r}") from exc


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise OrderRequestError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _tags(value: Any) -> list[str]:
    """Tags as a list; REST's comma-separated string form is accepted too."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [tag.strip() for tag in items if tag.strip()]


def _rates(raw: list[dict] | None, what: str) -> list[tuple[str, Decimal]]:
    return [(str(t.get("title", "Tax")), _decimal(t.get("rate"), f"{what} tax rate")) for t in raw or []]


def _taxes(base: Decimal, rates: list[tuple[str, Decimal]], included: bool) -> list[TaxLine]:
    divisor = Decimal(1) + sum((rate for _, rate in rates), ZERO) if included else Decimal(1)
    return [TaxLine(title, rate, to_cents(base * rate / divisor)) for title, rate in rates]


def _address(raw: dict | None) -> dict | None:
    if not raw:
        return None
    address = {key: raw.get(key) for key in ADDRESS_FIELDS}
    address["name"] = address["name"] or " ".join(filter(None, [raw.get("first_name"), raw.get("last_name")]))
    return address


def _discount(raw: dict | None, line_total: Decimal) -> DiscountApplication | None:
    if not raw:
        return None
    value_type = raw.get("type", "percentage")
    value = _decimal(raw.get("value"), "discount value")
    if value_type == "percentage":
        amount = to_cents(line_total * value / 100)
    elif value_type == "fixed_amount":
        amount = min(to_cents(value), line_total)
    else:
        raise OrderRequestError(f"discount type must be percentage or fixed_amount, not {value_type!r}")
    return DiscountApplication(str(raw.get("code", "DISCOUNT")), value_type, value, amount)


def _customer(state: ShopState, raw: dict | None) -> Customer | None:
    if not raw:
        return None
    known = state.find_customer(raw.get("email"))
    if known:
        return known
    customer = Customer(
        state.next_id(), raw.get("email"), raw.get("first_name"), raw.get("last_name"), raw.get("phone")
    )
    state.customers[customer.id] = customer
    return customer


def place_order(state: ShopState, body: dict[str, Any]) -> Order:
    """Create an order from a control request, commit its stock and fire orders/create (and orders/paid).

    Body: ``lines`` ``[{"sku", "quantity", "price"?, "tax_lines"?}]`` (price defaults to the variant's),
    ``tax_lines`` ``[{"title", "rate"}]`` (default for lines and shipping), ``discount``
    ``{"code", "type": "percentage"|"fixed_amount", "value"}``, ``shipping`` ``{"title", "price", "code"?,
    "tax_lines"?}``, ``financial_status`` (default "paid"), ``customer`` ``{"email", "first_name",
    "last_name", "phone"}``, ``shipping_address``/``billing_address`` (REST address keys), ``email``,
    ``phone``, ``note``, ``tags``.
    """
    included = state.spec.taxes_included
    default_rates = _rates(body.get("tax_lines"), "order")
    if not body.get("lines"):
        raise OrderRequestError("an order needs at least one line")
    drafts = []
    for raw in body["lines"]:
        matches = state.variants_by_sku(str(raw.get("sku")))
        if not matches:
            raise OrderRequestError(f"no variant has sku {raw.get('sku')!r}")
        variant = matches[0]
        quantity = int(raw.get("quantity", 1))
        if quantity < 1:
            raise OrderRequestError("quantity must be at least 1")
        price = _decimal(raw["price"], "line price") if "price" in raw else variant.price
        rates = _rates(raw["tax_lines"], "line") if "tax_lines" in raw else default_rates
        drafts.append((variant, quantity, to_cents(price), rates))

    line_totals = [price * quantity for _, quantity, price, _ in drafts]
    total_line_items_price = sum(line_totals, ZERO)
    discount = _discount(body.get("discount"), total_line_items_price)
    allocations = allocate(discount.amount, line_totals) if discount else [ZERO] * len(drafts)

    line_items = []
    for (variant, quantity, price, rates), line_total, allocated in zip(drafts, line_totals, allocations):
        product = state.products[variant.product_id]
        line_items.append(
            LineItem(
                id=state.next_id(),
                product_id=product.id,
                variant_id=variant.id,
                sku=variant.sku,
                title=product.title,
                variant_title=variant.title if variant.options else None,
                quantity=quantity,
                current_quantity=quantity,
                price=price,
                tax_lines=_taxes(line_total - allocated, rates, included),
                discount_allocations=[(allocated, 0)] if discount else [],
            )
        )

    shipping_lines = []
    if body.get("shipping"):
        raw = body["shipping"]
        price = to_cents(_decimal(raw.get("price", "0"), "shipping price"))
        rates = _rates(raw["tax_lines"], "shipping") if "tax_lines" in raw else default_rates
        title = str(raw.get("title", "Standard"))
        shipping_lines.append(
            ShippingLine(
                state.next_id(), title, str(raw.get("code", title)), price, _taxes(price, rates, included)
            )
        )

    total_discounts = discount.amount if discount else ZERO
    total_shipping = sum((line.price for line in shipping_lines), ZERO)
    taxed = [*line_items, *shipping_lines]
    total_tax = sum((tax.price for line in taxed for tax in line.tax_lines), ZERO)
    subtotal = total_line_items_price - total_discounts
    financial_status = _one_of(body.get("financial_status", "paid"), FINANCIAL_STATUSES, "financial_status")
    customer = _customer(state, body.get("customer"))
    created = now_utc()
    state.last_order_number += 1
    order = Order(
        id=state.next_id(),
        number=state.last_order_number,
        email=body.get("email") or (customer.email if customer else None),
        phone=body.get("phone") or (customer.phone if customer else None),
        customer_id=customer.id if customer else None,
        billing_address=_address(body.get("billing_address") or body.get("shipping_address")),
        shipping_address=_address(body.get("shipping_address")),
        currency=state.spec.currency,
        taxes_included=included,
        financial_status=financial_status,
        line_items=line_items,
        shipping_lines=shipping_lines,
        discounts=[discount] if discount else [],
        total_line_items_price=total_line_items_price,
        total_discounts=total_discounts,
        subtotal_price=subtotal,
        total_shipping=total_shipping,
        total_tax=total_tax,
        total_price=subtotal + total_shipping + (ZERO if included else total_tax),
        created_at=created,
        updated_at=created,
        note=body.get("note"),
        tags=_tags(body.get("tags")),
    )
    state.orders[order.id] = order
    _open_fulfillment_order(state, order)
    topics = ["orders/create"] + (["orders/paid"] if order.financial_status == "paid" else [])
    order_changed(state, order, *topics)
    return order


def _open_fulfillment_order(state: ShopState, order: Order) -> None:
    """One fulfillment order at the primary location; its stock is committed until shipped or restocked.

    [I] Shopify picks the location by the shop's fulfilment priorities; the emulator always uses the first
    location and lets stock go negative rather than refusing the checkout.
    """
    location_id = min(state.locations)
    fulfillment_order = FulfillmentOrder(
        id=state.next_id(),
        order_id=order.id,
        location_id=location_id,
        line_items=[
            FulfillmentOrderLineItem(state.next_id(), item.id, item.quantity, item.quantity)
            for item in order.line_items
        ],
    )
    state.fulfillment_orders[fulfillment_order.id] = fulfillment_order
    order.fulfillment_order_ids.append(fulfillment_order.id)
    _move_stock(state, order, fulfillment_order, committed=+1)


def _move_stock(
    state: ShopState, order: Order, fulfillment_order: FulfillmentOrder, *, committed: int, on_hand: int = 0
) -> None:
    """Add ``committed`` (and ``on_hand``) times each line's remaining quantity to its level.

    Placing commits (+1, 0); cancelling with restock releases (-1, 0); without restock the goods count
    as gone (-1, -1). Untracked items are skipped, as Shopify does.
    """
    for fo_line in fulfillment_order.line_items:
        item = state.line_item(order, fo_line.line_item_id)
        variant = state.variants.get(item.variant_id)
        tracked = variant is not None and state.inventory_items[variant.inventory_item_id].tracked
        if not tracked or fo_line.remaining_quantity == 0:
            continue
        key = (variant.inventory_item_id, fulfillment_order.location_id)
        level = state.levels.setdefault(key, InventoryLevel(*key))
        level.committed += committed * fo_line.remaining_quantity
        level.on_hand += on_hand * fo_line.remaining_quantity
        level_changed(state, level)


def pay_order(state: ShopState, order: Order) -> Order:
    if order.financial_status not in ("pending", "authorized", "partially_paid"):
        raise OrderRequestError(f"order is {order.financial_status}, nothing to pay")
    order.financial_status = "paid"
    order_changed(state, order, "orders/paid")
    return order


def cancel_order(state: ShopState, order: Order, body: dict[str, Any]) -> Order:
    """Cancel like the admin does: close open fulfillment orders and (by default) release committed stock."""
    if order.cancelled_at is not None:
        raise OrderRequestError("order is already cancelled")
    reason = _one_of(body.get("reason", "customer"), CANCEL_REASONS, "reason")
    restock = bool(body.get("restock", True))
    for fulfillment_order in (state.fulfillment_orders[fid] for fid in order.fulfillment_order_ids):
        _move_stock(state, order, fulfillment_order, committed=-1, on_hand=0 if restock else -1)
        for fo_line in fulfillment_order.line_items:
            fo_line.remaining_quantity = 0
        fulfillment_order.status = "CLOSED"  # [I] Shopify closes the open FOs of a cancelled order
    for item in order.line_items:
        item.current_quantity = state.fulfilled_quantity(order, item.id)
    order.cancelled_at = order.closed_at = now_utc()
    order.cancel_reason = reason
    if order.financial_status in ("pending", "authorized"):
        order.financial_status = "voided"
    order_changed(state, order, "orders/cancelled")
    return order


def edit_order(state: ShopState, order: Order, body: dict[str, Any]) -> Order:
    """Change contact data, note or tags (what merchants edit most); fires orders/updated."""
    unknown = set(body) - set(EDITABLE_FIELDS)
    if unknown:
        raise OrderRequestError(f"cannot edit {sorted(unknown)}; editable: {list(EDITABLE_FIELDS)}")
    for key, value in body.items():
        if key.endswith("_address"):
            value = _address(value)
        elif key == "tags":
            value = _tags(value)
        setattr(order, key, value)
    order_changed(state, order)
    return order
