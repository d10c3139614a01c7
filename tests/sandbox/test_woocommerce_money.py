"""Order money math as WooCommerce's checkout computes it; expected values worked out by hand from
WC_Cart_Totals / WC_Discounts / WC_Tax (see the comments for the cent arithmetic)."""

from __future__ import annotations

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running


def emulator(prices_include_tax: bool, prices: dict[str, str]) -> WooEmulator:
    seed = WooSeed(simple_skus=list(prices), prices=prices)
    return WooEmulator([SiteSpec("shop", "ck", "cs", "whsec", prices_include_tax=prices_include_tax, seed=seed)])


def money_fields(order: dict) -> dict:
    return {k: order[k] for k in ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax",
                                  "total_tax", "total")}


async def test_prices_including_tax_with_percent_coupon_and_shipping():
    async with running(emulator(True, {"A": "100.00"})) as client:
        order = await client.place_order({
            "lines": [{"sku": "A", "quantity": 3, "tax_rate": 25}],
            "coupons": [{"code": "TEN", "discount_type": "percent", "amount": "10"}],
            "shipping_line": {"method_title": "Flat rate", "total": "40.00", "tax_rate": 25},
        })
    # Gross 300 - 10% (30 incl. tax = 24 + 6 tax) = 270 incl. = 216 net + 54 tax; shipping 40 + 10 tax.
    assert money_fields(order) == {"discount_total": "24.00", "discount_tax": "6.00", "shipping_total": "40.00",
                                   "shipping_tax": "10.00", "cart_tax": "54.00", "total_tax": "64.00",
                                   "total": "320.00"}
    line = order["line_items"][0]
    assert (line["subtotal"], line["subtotal_tax"], line["total"], line["total_tax"]) == ("240.00", "60.00", "216.00", "54.00")
    assert line["price"] == 72.0  # total / quantity, after discount, excluding tax, as a JSON number
    assert order["coupon_lines"][0] | {"id": 0} == {
        "id": 0, "code": "ten", "discount": "24.00", "discount_tax": "6.00", "discount_type": "percent",
        "nominal_amount": 10.0, "free_shipping": False, "meta_data": []}
    (tax_line,) = order["tax_lines"]
    assert (tax_line["tax_total"], tax_line["shipping_tax_total"], tax_line["rate_percent"]) == ("54.00", "10.00", 25.0)
    assert [t["id"] for t in line["taxes"]] == [tax_line["rate_id"]]


async def test_prices_excluding_tax_with_fixed_cart_coupon_and_shipping():
    async with running(emulator(False, {"B": "99.99"})) as client:
        order = await client.place_order({
            "lines": [{"sku": "B", "quantity": 3, "tax_rate": 25}],
            "coupons": [{"code": "minus10", "discount_type": "fixed_cart", "amount": "10"}],
            "shipping_line": {"method_title": "Flat rate", "total": "49.00", "tax_rate": 25},
        })
    # 29997c; fixed_cart 1000c over 3 units = 333c each (999c), remainder 1c -> 1000c off.
    # Subtotal tax 7499.25c -> 7499c; line 28997c, tax 7249.25c -> 7249c; shipping 4900c + 1225c.
    # Total 28997 + 7249 + 4900 + 1225 = 42371c.
    assert money_fields(order) == {"discount_total": "10.00", "discount_tax": "2.50", "shipping_total": "49.00",
                                   "shipping_tax": "12.25", "cart_tax": "72.49", "total_tax": "84.74",
                                   "total": "423.71"}
    line = order["line_items"][0]
    assert (line["subtotal"], line["subtotal_tax"], line["total"], line["total_tax"]) == ("299.97", "74.99", "289.97", "72.49")
    # The per-rate taxes are printed from the stored, unrounded values.
    assert (line["taxes"][0]["total"], line["taxes"][0]["subtotal"]) == ("72.4925", "74.9925")
    assert abs(line["price"] - 289.97 / 3) < 1e-9


async def test_percent_coupon_remainder_cent_goes_to_the_most_expensive_line():
    async with running(emulator(True, {"X": "33.33", "Y": "10.01"})) as client:
        order = await client.place_order({
            "lines": [{"sku": "Y", "quantity": 1, "tax_rate": 25}, {"sku": "X", "quantity": 3, "tax_rate": 25}],
            "coupons": [{"code": "p15", "discount_type": "percent", "amount": "15"}],
        })
    # X 9999c: floor(1499.85) = 1499; Y 1001c: floor(150.15) = 150; the cart as a whole owes 1650,
    # so the missing cent goes to X (sorted first by price*qty). Discount tax 300 + 30 = 330c.
    # X: 8499c incl. -> tax 1699.8 -> 1700c, net 6799.2c; Y: 851c -> tax 170.2 -> 170c, net 680.8c.
    y, x = order["line_items"]
    assert (x["subtotal"], x["subtotal_tax"], x["total"], x["total_tax"]) == ("79.99", "20.00", "67.99", "17.00")
    assert (y["subtotal"], y["subtotal_tax"], y["total"], y["total_tax"]) == ("8.01", "2.00", "6.81", "1.70")
    assert money_fields(order) == {"discount_total": "13.20", "discount_tax": "3.30", "shipping_total": "0.00",
                                   "shipping_tax": "0.00", "cart_tax": "18.70", "total_tax": "18.70",
                                   "total": "93.50"}


async def test_tax_on_tax_inclusive_prices_rounds_half_down():
    async with running(emulator(True, {"H": "10.05"})) as client:
        order = await client.place_order({"lines": [{"sku": "H", "quantity": 1, "tax_rate": 20}]})
    # 1005c incl. 20% -> tax 167.5c: half-down (WC_TAX_ROUNDING_MODE auto with prices incl. tax) -> 167c,
    # net 837.5c -> 838c, so the total stays the shelf price.
    assert (order["cart_tax"], order["total"]) == ("1.67", "10.05")


async def test_tax_on_tax_exclusive_prices_rounds_half_up():
    async with running(emulator(False, {"E": "10.02"})) as client:
        order = await client.place_order({"lines": [{"sku": "E", "quantity": 1, "tax_rate": 25}]})
    # 1002c * 25% = 250.5c -> 251c.
    assert (order["cart_tax"], order["total"]) == ("2.51", "12.53")


async def test_untaxed_order_has_no_tax_lines():
    async with running(emulator(True, {"N": "12.50"})) as client:
        order = await client.place_order({"lines": [{"sku": "N", "quantity": 2}],
                                          "shipping_line": {"method_title": "Pickup", "total": "0"}})
    assert (order["total"], order["total_tax"], order["tax_lines"]) == ("25.00", "0.00", [])
    assert order["line_items"][0]["taxes"] == []
