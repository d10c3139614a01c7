"""Shop order fixtures built the way each shop computes its own totals, plus checks that they do.

A shop-neutral ``Scenario`` (items, discounts, shipping, tax mode) is rendered as Shopify REST,
Shopify GraphQL (converted from the REST shape, field names per the Admin API) or WooCommerce JSON.
Discounts are allocated to lines and taxes rounded per line, as both shops do; every total in the
JSON is derived from those per-line figures, never typed in. Other test modules import the builders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D = Decimal
ZERO = D(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def s(value: Decimal) -> str:
    return str(cents(value))


@dataclass(frozen=True)
class Item:
    sku: str | None
    name: str
    quantity: int
    price: Decimal  # unit price as the shop shows it (VAT included when the scenario says so)
    vat: Decimal  # percent
    line_discount: Decimal = ZERO  # a fixed amount off this line, same basis as price


@dataclass(frozen=True)
class Scenario:
    items: tuple[Item, ...]
    taxes_included: bool = False
    currency: str = "DKK"
    code: str | None = None
    code_percent: Decimal = ZERO  # order-level percentage discount code
    code_fixed: Decimal = ZERO  # order-level fixed amount discount code
    shipping: Decimal = ZERO  # shop basis
    shipping_vat: Decimal = D(25)
    shipping_title: str = "Standard"
    email: str | None = "ada@example.com"
    country_code: str = "DK"
    order_id: int = 450789469
    number: int = 1001
    financial_status: str = "paid"
    fulfillment_status: str | None = None
    cancelled: bool = False
    created_at: str = "2026-03-02T23:30:00+01:00"
    woo_status: str = "processing"


def line_discounts(scenario: Scenario) -> list[Decimal]:
    """Each line's total discount: its own fixed discount plus its share of the order-level code.

    The code is spread in proportion to what each line costs after its own discount, rounded to
    cents, with the rounding remainder on the last line, as Shopify and Woo allocate it.
    """
    bases = [item.price * item.quantity - item.line_discount for item in scenario.items]
    code_total = cents(sum(bases, ZERO) * scenario.code_percent / 100) + scenario.code_fixed
    total_base = sum(bases, ZERO)
    shares = [cents(code_total * base / total_base) if total_base else ZERO for base in bases]
    if shares:
        shares[-1] += code_total - sum(shares, ZERO)
    return [item.line_discount + share for item, share in zip(scenario.items, shares)]


def tax_on(amount: Decimal, rate: Decimal, included: bool) -> Decimal:
    """The tax a shop charges on an amount, rounded per line."""
    return cents(amount * rate / (100 + rate) if included else amount * rate / 100)


def address(scenario: Scenario) -> dict[str, Any]:
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company": None,
        "address1": "Algade 1",
        "address2": None,
        "city": "Aalborg",
        "zip": "9000",
        "province": None,
        "country": {"DK": "Denmark", "DE": "Germany", "US": "United States"}.get(scenario.country_code),
        "country_code": scenario.country_code,
        "phone": "+4512345678",
        "name": "Ada Lovelace",
    }


# --------------------------------------------------------------------------------------------------
# Shopify REST / webhook


def shopify_rest_order(scenario: Scenario) -> dict[str, Any]:
    """A Shopify order object (webhook body shape) with totals computed as Shopify does."""
    included = scenario.taxes_included
    line_items, charged_total, tax_total = [], ZERO, ZERO
    for index, (item, discount) in enumerate(zip(scenario.items, line_discounts(scenario))):
        charged = item.price * item.quantity - discount
        tax = tax_on(charged, item.vat, included)
        allocations = [
            {"amount": s(amount), "discount_application_index": i}
            for i, amount in enumerate((item.line_discount, discount - item.line_discount))
            if amount
        ]
        line_items.append(
            {
                "id": 466157049 + index,
                "admin_graphql_api_id": f"gid://shopify/LineItem/{466157049 + index}",
                "variant_id": 39072856 + index,
                "product_id": 632910392 + index,
                "sku": item.sku,
                "title": item.name,
                "name": item.name,
                "quantity": item.quantity,
                "price": s(item.price),
                "total_discount": s(item.line_discount),
                "taxable": item.vat > 0,
                "tax_lines": [{"title": "VAT", "price": s(tax), "rate": float(item.vat / 100)}],
                "discount_allocations": allocations,
            }
        )
        charged_total += charged
        tax_total += tax
    shipping_tax = tax_on(scenario.shipping, scenario.shipping_vat, included)
    shipping_taxes = [{"title": "VAT", "price": s(shipping_tax), "rate": float(scenario.shipping_vat / 100)}]
    shipping_lines = [
        {
            "id": 369256396,
            "title": scenario.shipping_title,
            "code": scenario.shipping_title.lower(),
            "price": s(scenario.shipping),
            "discounted_price": s(scenario.shipping),
            "tax_lines": shipping_taxes if scenario.shipping else [],
            "discount_allocations": [],
        }
    ]
    tax_total += shipping_tax
    total = charged_total + scenario.shipping + (ZERO if included else tax_total)
    code_amount = sum(line_discounts(scenario), ZERO) - sum((i.line_discount for i in scenario.items), ZERO)
    return {
        "id": scenario.order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{scenario.order_id}",
        "name": f"#{scenario.number}",
        "number": scenario.number - 1000,
        "order_number": scenario.number,
        "email": scenario.email,
        "created_at": scenario.created_at,
        "updated_at": scenario.created_at,
        "cancelled_at": scenario.created_at if scenario.cancelled else None,
        "currency": scenario.currency,
        "taxes_included": included,
        "financial_status": scenario.financial_status,
        "fulfillment_status": scenario.fulfillment_status,
        "subtotal_price": s(charged_total),
        "total_tax": s(tax_total),
        "total_discounts": s(sum(line_discounts(scenario), ZERO)),
        "total_price": s(total),
        "discount_codes": [{"code": scenario.code, "amount": s(code_amount), "type": "percentage"}]
        if scenario.code
        else [],
        "customer": {"id": 207119551, "email": scenario.email, "first_name": "Ada", "last_name": "Lovelace"},
        "billing_address": address(scenario),
        "shipping_address": address(scenario),
        "line_items": line_items,
        "shipping_lines": shipping_lines,
    }


# --------------------------------------------------------------------------------------------------
# Shopify GraphQL, converted from the REST shape


def _bag(amount: str, currency: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": amount, "currencyCode": currency}}


def _connection(items: list[Any], edges: bool) -> dict[str, Any]:
    return {"edges": [{"cursor": f"c{i}", "node": item} for i, item in enumerate(items)]} if edges else {"nodes": items}


def _gql_taxes(tax_lines: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "title": tax["title"],
            "rate": tax["rate"],
            "ratePercentage": round(tax["rate"] * 100, 4),
            "priceSet": _bag(tax["price"], currency),
        }
        for tax in tax_lines
    ]


def _gql_address(rest: dict[str, Any] | None) -> dict[str, Any] | None:
    if rest is None:
        return None
    return {
        "firstName": rest["first_name"],
        "lastName": rest["last_name"],
        "name": rest["name"],
        "company": rest["company"],
        "address1": rest["address1"],
        "address2": rest["address2"],
        "city": rest["city"],
        "zip": rest["zip"],
        "province": rest["province"],
        "country": rest["country"],
        "countryCodeV2": rest["country_code"],
        "phone": rest["phone"],
    }


def shopify_graphql_node(rest: dict[str, Any], *, edges: bool = False) -> dict[str, Any]:
    """The same order as an Admin API ``orders`` query returns it."""
    cur = rest["currency"]
    lines = [
        {
            "id": item["admin_graphql_api_id"],
            "sku": item["sku"],
            "name": item["name"],
            "quantity": item["quantity"],
            "originalUnitPriceSet": _bag(item["price"], cur),
            "discountAllocations": [
                {"allocatedAmountSet": _bag(allocation["amount"], cur)} for allocation in item["discount_allocations"]
            ],
            "taxLines": _gql_taxes(item["tax_lines"], cur),
        }
        for item in rest["line_items"]
    ]
    shipping = [
        {
            "title": line["title"],
            "code": line["code"],
            "originalPriceSet": _bag(line["price"], cur),
            "discountedPriceSet": _bag(line["discounted_price"], cur),
            "taxLines": _gql_taxes(line["tax_lines"], cur),
        }
        for line in rest["shipping_lines"]
    ]
    fulfillment = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED"}.get(
        rest["fulfillment_status"], (rest["fulfillment_status"] or "").upper()
    )
    return {
        "id": rest["admin_graphql_api_id"],
        "legacyResourceId": str(rest["id"]),
        "name": rest["name"],
        "email": rest["email"],
        "createdAt": rest["created_at"],
        "updatedAt": rest["updated_at"],
        "cancelledAt": rest["cancelled_at"],
        "displayFinancialStatus": rest["financial_status"].upper(),
        "displayFulfillmentStatus": fulfillment,
        "currencyCode": cur,
        "taxesIncluded": rest["taxes_included"],
        "totalPriceSet": _bag(rest["total_price"], cur),
        "discountCodes": [code["code"] for code in rest["discount_codes"]],
        "lineItems": _connection(lines, edges),
        "shippingLines": _connection(shipping, edges),
        "customer": {
            "id": f"gid://shopify/Customer/{rest['customer']['id']}",
            "email": rest["customer"]["email"],
            "firstName": rest["customer"]["first_name"],
            "lastName": rest["customer"]["last_name"],
        },
        "billingAddress": _gql_address(rest["billing_address"]),
        "shippingAddress": _gql_address(rest["shipping_address"]),
    }


# --------------------------------------------------------------------------------------------------
# WooCommerce


def _woo_amounts(gross_or_net: Decimal, rate: Decimal, included: bool) -> tuple[Decimal, Decimal]:
    """(excl-tax amount, tax): Woo stores amounts excluding tax even when prices include it."""
    tax = tax_on(gross_or_net, rate, included)
    return (gross_or_net - tax if included else gross_or_net), tax


def woo_order(scenario: Scenario) -> dict[str, Any]:
    """A WooCommerce REST v3 order with totals computed as Woo does (tax rounded per line)."""
    included = scenario.taxes_included
    rate_ids = {rate: index + 1 for index, rate in enumerate(sorted({i.vat for i in scenario.items if i.vat}))}
    if scenario.shipping and scenario.shipping_vat:
        rate_ids.setdefault(scenario.shipping_vat, len(rate_ids) + 1)
    rate_totals = {rate: ZERO for rate in rate_ids}
    line_items, totals = [], {"subtotal": ZERO, "total": ZERO, "tax": ZERO, "subtotal_tax": ZERO}
    for index, (item, discount) in enumerate(zip(scenario.items, line_discounts(scenario))):
        subtotal, subtotal_tax = _woo_amounts(item.price * item.quantity, item.vat, included)
        total, total_tax = _woo_amounts(item.price * item.quantity - discount, item.vat, included)
        taxes = [{"id": rate_ids[item.vat], "total": s(total_tax), "subtotal": s(subtotal_tax)}] if item.vat else []
        line_items.append(
            {
                "id": 315 + index,
                "name": item.name,
                "product_id": 93 + index,
                "variation_id": 0,
                "quantity": item.quantity,
                "tax_class": "",
                "subtotal": s(subtotal),
                "subtotal_tax": s(subtotal_tax),
                "total": s(total),
                "total_tax": s(total_tax),
                "taxes": taxes,
                "meta_data": [],
                "sku": item.sku,
                "price": float(total / item.quantity),
            }
        )
        if item.vat:
            rate_totals[item.vat] += total_tax
        totals["subtotal"] += subtotal
        totals["total"] += total
        totals["tax"] += total_tax
        totals["subtotal_tax"] += subtotal_tax
    shipping_total, shipping_tax = _woo_amounts(scenario.shipping, scenario.shipping_vat, included)
    shipping_taxes = (
        [{"id": rate_ids[scenario.shipping_vat], "total": s(shipping_tax), "subtotal": ""}]
        if scenario.shipping and scenario.shipping_vat
        else []
    )
    shipping_lines = [
        {
            "id": 317,
            "method_title": scenario.shipping_title,
            "method_id": "flat_rate" if scenario.shipping else "free_shipping",
            "total": s(shipping_total),
            "total_tax": s(shipping_tax),
            "taxes": shipping_taxes,
        }
    ]
    tax_lines = [
        {
            "id": 318 + rate_id,
            "rate_code": f"DK-VAT-{rate}",
            "rate_id": rate_id,
            "label": "VAT",
            "compound": False,
            "tax_total": s(rate_totals[rate]),
            "shipping_tax_total": s(shipping_tax if rate == scenario.shipping_vat else ZERO),
            "rate_percent": float(rate),
        }
        for rate, rate_id in rate_ids.items()
    ]
    billing = address(scenario)
    return {
        "id": scenario.order_id,
        "parent_id": 0,
        "number": str(scenario.number),
        "order_key": "wc_order_58d2d042d1d",
        "created_via": "rest-api",
        "status": scenario.woo_status,
        "currency": scenario.currency,
        "prices_include_tax": included,
        "date_created": "2026-03-02T23:30:00",
        "date_created_gmt": "2026-03-02T22:30:00",
        "date_modified": "2026-03-03T08:00:00",
        "date_modified_gmt": "2026-03-03T07:00:00",
        "date_paid_gmt": "2026-03-02T22:31:00" if scenario.woo_status in ("processing", "completed") else None,
        "discount_total": s(totals["subtotal"] - totals["total"]),
        "shipping_total": s(shipping_total),
        "shipping_tax": s(shipping_tax),
        "cart_tax": s(totals["tax"]),
        "total": s(totals["total"] + totals["tax"] + shipping_total + shipping_tax),
        "total_tax": s(totals["tax"] + shipping_tax),
        "customer_id": 0 if scenario.email is None else 25,
        "billing": {
            "first_name": billing["first_name"],
            "last_name": billing["last_name"],
            "company": "",
            "address_1": billing["address1"],
            "address_2": "",
            "city": billing["city"],
            "state": "",
            "postcode": billing["zip"],
            "country": scenario.country_code,
            "email": scenario.email or "",
            "phone": billing["phone"],
        },
        "shipping": {
            "first_name": billing["first_name"],
            "last_name": billing["last_name"],
            "company": "",
            "address_1": billing["address1"],
            "address_2": "",
            "city": billing["city"],
            "state": "",
            "postcode": billing["zip"],
            "country": scenario.country_code,
        },
        "line_items": line_items,
        "tax_lines": tax_lines,
        "shipping_lines": shipping_lines,
        "fee_lines": [],
        "coupon_lines": [{"id": 320, "code": scenario.code, "discount": s(totals["subtotal"] - totals["total"])}]
        if scenario.code
        else [],
    }


# --------------------------------------------------------------------------------------------------
# Scenarios


def awkward_scenario(**changes: Any) -> Scenario:
    """Mixed 25/12/0 % VAT, a 3 x 33.33 line, a fixed line discount, a percentage code, taxed shipping."""
    base = Scenario(
        items=(
            Item("TSHIRT-RED-M", "T-shirt - Red / M", 3, D("33.33"), D(25)),
            Item("BOOK-042", "Cookbook", 2, D("199.95"), D(12), line_discount=D("15.00")),
            Item("NEWSPAPER-1", "Newspaper", 1, D("24.50"), D(0)),
        ),
        code="SPRING10",
        code_percent=D(10),
        shipping=D("49.00"),
    )
    return replace(base, **changes)


def random_scenario(rng: random.Random) -> Scenario:
    """Random items, discounts, shipping and tax mode; always internally consistent."""
    items = []
    for index in range(rng.randint(1, 6)):
        quantity = rng.choice([1, 1, 2, 3, 7, 12])
        price = D(rng.randint(1, 500000)) / 100
        line_discount = cents(price * quantity * D(rng.choice([0, 0, 0, 5, 33])) / 100)
        vat = D(rng.choice([25, 25, 12, 6, 0]))
        items.append(Item(f"SKU-{index}-{rng.randint(0, 999)}", f"Item {index}", quantity, price, vat, line_discount))
    subtotal = sum((i.price * i.quantity - i.line_discount for i in items), ZERO)
    code_kind = rng.choice(["none", "percent", "fixed"])
    return Scenario(
        items=tuple(items),
        taxes_included=rng.random() < 0.5,
        currency=rng.choice(["DKK", "EUR", "SEK", "USD"]),
        code=None if code_kind == "none" else "CODE",
        code_percent=D(rng.choice([5, 10, 15, 50])) if code_kind == "percent" else ZERO,
        code_fixed=cents(subtotal * D(rng.randint(1, 40)) / 100) if code_kind == "fixed" else ZERO,
        shipping=rng.choice([ZERO, D("39.00"), D("49.95"), D(rng.randint(1, 20000)) / 100]),
        shipping_vat=D(rng.choice([25, 25, 0])),
    )


# --------------------------------------------------------------------------------------------------
# The fixtures themselves must add up the way the shops do.


def test_shopify_fixture_total_is_lines_after_discounts_plus_shipping_plus_tax() -> None:
    for included in (False, True):
        order = shopify_rest_order(awkward_scenario(taxes_included=included))
        charged = sum(
            (
                D(item["price"]) * item["quantity"] - sum((D(a["amount"]) for a in item["discount_allocations"]), ZERO)
                for item in order["line_items"]
            ),
            ZERO,
        )
        tax = ZERO if included else D(order["total_tax"])
        assert charged + D(order["shipping_lines"][0]["discounted_price"]) + tax == D(order["total_price"])


def test_woo_fixture_total_is_line_totals_plus_taxes_plus_shipping() -> None:
    for included in (False, True):
        order = woo_order(awkward_scenario(taxes_included=included))
        lines = sum((D(item["total"]) + D(item["total_tax"]) for item in order["line_items"]), ZERO)
        assert lines + D(order["shipping_total"]) + D(order["shipping_tax"]) == D(order["total"])


def test_discount_allocation_spreads_the_whole_code() -> None:
    scenario = awkward_scenario(code_percent=ZERO, code_fixed=D("100.00"))
    own = sum((i.line_discount for i in scenario.items), ZERO)
    assert sum(line_discounts(scenario), ZERO) == own + D("100.00")
