"""Order money math: line prices, discount allocation, per-line tax rounding, shipping, taxes_included.

Every expected figure is worked out by hand in the comments so the rules are readable without the code.
"""

from decimal import Decimal

from daemon.sandbox.shopify import ShopifyEmulator, ShopifySeed, ShopSpec
from daemon.sandbox.shopify.testing import running

SKUS = ["TSHIRT-S", "TSHIRT-M", "MUG-1", "MUG-2"]  # prices 100.00, 101.00, 110.00, 111.00 (seed rule)
VAT = [{"title": "DK Moms", "rate": "0.25"}]


def emulator(taxes_included: bool) -> ShopifyEmulator:
    seed = ShopifySeed(skus=SKUS, variants_per_product=2)
    return ShopifyEmulator([ShopSpec("acme", "tok", "sec", seed=seed, taxes_included=taxes_included)])


def money(value: str) -> Decimal:
    return Decimal(value)


def check_consistency(order: dict) -> None:
    """The identities every Shopify order satisfies, whatever the inputs."""
    lines = order["line_items"]
    line_total = sum(money(li["price"]) * li["quantity"] for li in lines)
    allocated = sum(money(a["amount"]) for li in lines for a in li["discount_allocations"])
    taxes = sum(money(t["price"]) for li in [*lines, *order["shipping_lines"]] for t in li["tax_lines"])
    shipping = sum(money(s["discounted_price"]) for s in order["shipping_lines"])
    assert money(order["total_line_items_price"]) == line_total
    assert money(order["total_discounts"]) == allocated
    assert money(order["subtotal_price"]) == line_total - allocated
    assert money(order["total_tax"]) == taxes
    assert money(order["total_shipping_price_set"]["shop_money"]["amount"]) == shipping
    expected = line_total - allocated + shipping + (0 if order["taxes_included"] else taxes)
    assert money(order["total_price"]) == expected
    assert order["total_price_set"]["shop_money"] == {"amount": order["total_price"], "currency_code": "DKK"}


async def test_mixed_vat_with_percentage_discount_and_taxed_shipping():
    async with running(emulator(taxes_included=False)) as client:
        order = await client.place_order(
            {
                "lines": [
                    {"sku": "TSHIRT-S", "quantity": 2},  # 200.00 at 25 %
                    {
                        "sku": "MUG-1",
                        "quantity": 1,
                        "tax_lines": [{"title": "Reduced", "rate": "0.12"}],
                    },  # 110.00
                ],
                "tax_lines": VAT,
                "discount": {"code": "TEN", "type": "percentage", "value": "10"},
                "shipping": {"title": "GLS", "price": "49.00"},
            }
        )
    check_consistency(order)
    shirts, mug = order["line_items"]
    # 10 % of 310.00 = 31.00; shirts get 31 x 200/310 = 20.00, the mug the remaining 11.00
    assert [a["amount"] for a in shirts["discount_allocations"]] == ["20.00"]
    assert [a["amount"] for a in mug["discount_allocations"]] == ["11.00"]
    assert shirts["discount_allocations"][0]["discount_application_index"] == 0
    # taxes on discounted lines: (200 - 20) x 25 % = 45.00 ; (110 - 11) x 12 % = 11.88 ; shipping 49 x 25 % = 12.25
    assert shirts["tax_lines"][0] | {"price_set": None} == {
        "title": "DK Moms",
        "rate": 0.25,
        "price": "45.00",
        "channel_liable": False,
        "price_set": None,
    }
    assert mug["tax_lines"][0]["price"] == "11.88" and mug["tax_lines"][0]["rate"] == 0.12
    assert order["shipping_lines"][0]["tax_lines"][0]["price"] == "12.25"
    assert order["total_discounts"] == "31.00"
    assert order["subtotal_price"] == "279.00"
    assert order["total_tax"] == "69.13"
    assert order["total_price"] == "397.13"  # 279.00 + 49.00 + 69.13
    assert order["discount_codes"] == [{"code": "TEN", "amount": "31.00", "type": "percentage"}]
    assert order["discount_applications"][0]["value_type"] == "percentage"
    # [S] the deprecated per-line total_discount stays 0.00 for code discounts; allocations carry the amount
    assert shirts["total_discount"] == "0.00"


async def test_fixed_discount_is_split_by_line_total_with_the_remainder_on_the_last_line():
    async with running(emulator(taxes_included=False)) as client:
        order = await client.place_order(
            {
                "lines": [
                    {"sku": "TSHIRT-S", "quantity": 1},
                    {"sku": "TSHIRT-M", "quantity": 1},
                    {"sku": "MUG-2", "quantity": 1},
                ],
                "discount": {"code": "FIFTY", "type": "fixed_amount", "value": "50.00"},
            }
        )
    check_consistency(order)
    # totals 100, 101, 111 (sum 312): 50x100/312 = 16.03, 50x101/312 = 16.19, last = 50 - 32.22 = 17.78
    assert [li["discount_allocations"][0]["amount"] for li in order["line_items"]] == [
        "16.03",
        "16.19",
        "17.78",
    ]
    assert order["total_tax"] == "0.00" and order["total_price"] == "262.00"


async def test_taxes_included_extracts_the_tax_share_and_does_not_add_it():
    async with running(emulator(taxes_included=True)) as client:
        order = await client.place_order(
            {
                "lines": [{"sku": "TSHIRT-M", "quantity": 3}],  # 303.00 incl. VAT
                "tax_lines": VAT,
                "discount": {"code": "FIX", "type": "fixed_amount", "value": "3.00"},
                "shipping": {"title": "Post", "price": "39.00"},
            }
        )
    check_consistency(order)
    assert order["taxes_included"] is True
    # (303 - 3) x 0.25 / 1.25 = 60.00 ; shipping 39 x 0.25 / 1.25 = 7.80
    assert order["line_items"][0]["tax_lines"][0]["price"] == "60.00"
    assert order["shipping_lines"][0]["tax_lines"][0]["price"] == "7.80"
    assert order["total_tax"] == "67.80"
    assert order["total_price"] == "339.00"  # 300.00 + 39.00, tax already inside


async def test_tax_is_rounded_per_line_half_up():
    # [I] rounding mode: 10.10 x 25 % = 2.525 -> 2.53 (half-up), where banker's rounding would give 2.52
    async with running(emulator(taxes_included=False)) as client:
        order = await client.place_order(
            {"lines": [{"sku": "MUG-1", "quantity": 1, "price": "10.10"}], "tax_lines": VAT}
        )
    check_consistency(order)
    assert order["line_items"][0]["price"] == "10.10"
    assert order["total_tax"] == "2.53" and order["total_price"] == "12.63"


async def test_graphql_shows_the_same_money_as_the_webhook_json():
    async with running(emulator(taxes_included=False)) as client:
        placed = await client.place_order(
            {
                "lines": [{"sku": "TSHIRT-S", "quantity": 2}],
                "tax_lines": VAT,
                "discount": {"code": "TEN", "type": "percentage", "value": "10"},
            }
        )
        body = await client.graphql(
            """query($id: ID!) { order(id: $id) {
                 totalPriceSet { shopMoney { amount currencyCode } } totalTaxSet { shopMoney { amount } }
                 totalDiscountsSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } }
                 lineItems(first: 5) { nodes { originalUnitPriceSet { shopMoney { amount } } discountedUnitPriceSet { shopMoney { amount } }
                   totalDiscountSet { shopMoney { amount } } taxLines { ratePercentage priceSet { shopMoney { amount } } } } } } }""",
            {"id": placed["admin_graphql_api_id"]},
        )
    order = body["data"]["order"]
    assert (
        Decimal(order["totalPriceSet"]["shopMoney"]["amount"])
        == Decimal(placed["total_price"])
        == Decimal("225.00")
    )
    assert order["totalPriceSet"]["shopMoney"]["currencyCode"] == "DKK"
    assert Decimal(order["totalTaxSet"]["shopMoney"]["amount"]) == Decimal("45.00")
    line = order["lineItems"]["nodes"][0]
    assert (
        line["originalUnitPriceSet"]["shopMoney"]["amount"] == "100.0"
    )  # [I] GraphQL Decimal drops trailing zeros
    assert line["discountedUnitPriceSet"]["shopMoney"]["amount"] == "90.0"
    assert line["totalDiscountSet"]["shopMoney"]["amount"] == "20.0"
    assert line["taxLines"] == [{"ratePercentage": 25.0, "priceSet": {"shopMoney": {"amount": "45.0"}}}]
