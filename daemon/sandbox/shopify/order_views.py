"""GraphQL views of orders, their lines, discounts, fulfillment orders and fulfillments."""

from __future__ import annotations

from decimal import Decimal

from .catalog_views import LocationView, ProductView, VariantView, mirror
from .ids import gid
from .money import to_cents
from .paging import by_id, connection
from .store import DiscountApplication, FulfillmentOrder, LineItem, Order, ShippingLine, ShopState, TaxLine

FULFILLMENT_DISPLAY = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED", "fulfilled": "FULFILLED"}


def bag(amount: Decimal, currency: str) -> dict:
    money = {"amount": amount, "currencyCode": currency}
    return {"shopMoney": money, "presentmentMoney": dict(money)}


def tax_line(tax: TaxLine, currency: str) -> dict:
    return {
        "title": tax.title,
        "rate": float(tax.rate),
        "ratePercentage": float(tax.rate * 100),
        "priceSet": bag(tax.price, currency),
        "channelLiable": False,
    }


class DiscountApplicationView:
    typename = "DiscountCodeApplication"

    def __init__(self, discount: DiscountApplication, index: int, currency: str) -> None:
        self.code, self.index = discount.code, index
        self.allocation_method, self.target_selection, self.target_type = "ACROSS", "ALL", "LINE_ITEM"
        if discount.value_type == "percentage":
            self.value = {"__typename": "PricingPercentageValue", "percentage": float(discount.value)}
        else:
            self.value = {"__typename": "MoneyV2", "amount": discount.value, "currencyCode": currency}


class LineItemView:
    typename = "LineItem"

    def __init__(self, state: ShopState, order: Order, item: LineItem) -> None:
        self.state, self.order, self.item = state, order, item
        self.id = gid("LineItem", item.id)
        mirror(self, item, "sku name title variant_title quantity current_quantity")
        self.taxable = bool(item.tax_lines)
        self.requires_shipping = True
        currency = order.currency
        total = item.price * item.quantity
        discounted = total - item.total_discount
        self.original_unit_price_set = bag(item.price, currency)
        self.original_total_set = bag(total, currency)
        self.discounted_total_set = bag(discounted, currency)
        self.discounted_unit_price_set = bag(to_cents(discounted / item.quantity), currency)
        self.total_discount_set = bag(item.total_discount, currency)

    @property
    def unfulfilled_quantity(self) -> int:
        return max(0, self.item.current_quantity - self.state.fulfilled_quantity(self.order, self.item.id))

    @property
    def discount_allocations(self):
        return [
            {
                "allocatedAmountSet": bag(amount, self.order.currency),
                "discountApplication": DiscountApplicationView(
                    self.order.discounts[index], index, self.order.currency
                ),
            }
            for amount, index in self.item.discount_allocations
        ]

    def tax_lines(self, first: int | None = None):
        lines = [tax_line(tax, self.order.currency) for tax in self.item.tax_lines]
        return lines[:first] if first is not None else lines

    @property
    def variant(self):
        variant = self.state.variants.get(self.item.variant_id)
        return VariantView(self.state, variant) if variant else None

    @property
    def product(self):
        product = self.state.products.get(self.item.product_id)
        return ProductView(self.state, product) if product else None


class ShippingLineView:
    def __init__(self, line: ShippingLine, currency: str) -> None:
        self.id = gid("ShippingLine", line.id)
        self.title, self.code, self.source = line.title, line.code, "shopify"
        self.carrier_identifier, self.is_removed = None, False
        self.original_price_set = self.discounted_price_set = bag(line.price, currency)
        self.tax_lines = [tax_line(tax, currency) for tax in line.tax_lines]
        self.discount_allocations: list = []


class FulfillmentOrderView:
    typename = "FulfillmentOrder"

    def __init__(self, state: ShopState, fulfillment_order: FulfillmentOrder) -> None:
        self.state, self.fo = state, fulfillment_order
        self.id = gid("FulfillmentOrder", fulfillment_order.id)
        self.status = fulfillment_order.status
        self.request_status = "UNSUBMITTED"
        self.created_at, self.updated_at = fulfillment_order.created_at, fulfillment_order.updated_at
        self.order_id = gid("Order", fulfillment_order.order_id)
        location = state.locations[fulfillment_order.location_id]
        self.assigned_location = {"name": location.name, "location": LocationView(state, location)}

    @property
    def order(self):
        return OrderView(self.state, self.state.orders[self.fo.order_id])

    def line_items(self, **page):
        order = self.state.orders[self.fo.order_id]

        def view(line):
            item = self.state.line_item(order, line.line_item_id)
            variant = self.state.variants.get(item.variant_id)
            return {
                "__typename": "FulfillmentOrderLineItem",
                "id": gid("FulfillmentOrderLineItem", line.id),
                "totalQuantity": line.total_quantity,
                "remainingQuantity": line.remaining_quantity,
                "sku": item.sku,
                "lineItem": LineItemView(self.state, order, item),
                "variant": VariantView(self.state, variant) if variant else None,
                "inventoryItemId": gid("InventoryItem", variant.inventory_item_id) if variant else None,
            }

        return connection(self.fo.line_items, by_id, wrap=view, **page)


class FulfillmentView:
    typename = "Fulfillment"

    def __init__(self, state: ShopState, fulfillment_id: int) -> None:
        self.state = state
        self.fulfillment = fulfillment = state.fulfillments[fulfillment_id]
        self.id = gid("Fulfillment", fulfillment.id)
        self.legacy_resource_id = fulfillment.id
        self.name, self.status = fulfillment.name, fulfillment.status
        self.created_at, self.updated_at = fulfillment.created_at, fulfillment.updated_at
        self.total_quantity = sum(quantity for _, quantity in fulfillment.lines)
        self.location = LocationView(state, state.locations[fulfillment.location_id])

    @property
    def order(self):
        return OrderView(self.state, self.state.orders[self.fulfillment.order_id])

    def tracking_info(self, first: int | None = None):
        f = self.fulfillment
        if not (f.tracking_company or f.tracking_number or f.tracking_url):
            return []
        return [{"company": f.tracking_company, "number": f.tracking_number, "url": f.tracking_url}][:first]


class MailingAddressView:
    def __init__(self, address: dict) -> None:
        mirror(self, address, "address1 address2 city company country first_name last_name name phone")
        mirror(self, address, "province province_code zip")
        self.country_code_v2 = address.get("country_code")


class OrderView:
    typename = "Order"

    def __init__(self, state: ShopState, order: Order) -> None:
        self.state, self.order = state, order
        currency = order.currency
        self.id = gid("Order", order.id)
        self.legacy_resource_id = order.id
        mirror(self, order, "name email phone note tags taxes_included")
        mirror(self, order, "created_at updated_at cancelled_at closed_at")
        self.processed_at = order.created_at
        self.cancel_reason = order.cancel_reason.upper() if order.cancel_reason else None
        self.closed = order.closed_at is not None
        self.display_financial_status = order.financial_status.upper()
        self.display_fulfillment_status = FULFILLMENT_DISPLAY[state.fulfillment_status(order)]
        self.currency_code = self.presentment_currency_code = currency
        self.subtotal_line_items_quantity = sum(item.quantity for item in order.line_items)
        self.total_price_set = self.current_total_price_set = bag(order.total_price, currency)
        self.subtotal_price_set = bag(order.subtotal_price, currency)
        self.total_tax_set = bag(order.total_tax, currency)
        self.total_discounts_set = bag(order.total_discounts, currency)
        self.total_shipping_price_set = bag(order.total_shipping, currency)
        self.discount_codes = [discount.code for discount in order.discounts]
        self.discount_code = self.discount_codes[0] if self.discount_codes else None
        self.billing_address = MailingAddressView(order.billing_address) if order.billing_address else None
        self.shipping_address = MailingAddressView(order.shipping_address) if order.shipping_address else None

    @property
    def tax_lines(self):
        totals = self.order.tax_totals().items()
        return [tax_line(TaxLine(title, rate, price), self.currency_code) for (title, rate), price in totals]

    @property
    def customer(self):
        customer = self.state.customers.get(self.order.customer_id) if self.order.customer_id else None
        if customer is None:
            return None
        names = " ".join(filter(None, [customer.first_name, customer.last_name]))
        return {
            "__typename": "Customer",
            "id": gid("Customer", customer.id),
            "legacyResourceId": customer.id,
            "email": customer.email,
            "firstName": customer.first_name,
            "lastName": customer.last_name,
            "displayName": names or customer.email or "",
            "phone": customer.phone,
        }

    def discount_applications(self, **page):
        views = [
            DiscountApplicationView(d, i, self.currency_code) for i, d in enumerate(self.order.discounts)
        ]
        return connection(views, lambda view: (view.index,), **page)

    def line_items(self, **page):
        return connection(
            self.order.line_items, by_id, wrap=lambda item: LineItemView(self.state, self.order, item), **page
        )

    def shipping_lines(self, include_removals: bool = False, **page):
        return connection(
            self.order.shipping_lines,
            by_id,
            wrap=lambda line: ShippingLineView(line, self.currency_code),
            **page,
        )

    @property
    def shipping_line(self):
        lines = self.order.shipping_lines
        return ShippingLineView(lines[0], self.currency_code) if lines else None

    def fulfillment_orders(self, query: str | None = None, displayable: bool = False, **page):
        orders = [self.state.fulfillment_orders[fid] for fid in self.order.fulfillment_order_ids]
        return connection(orders, by_id, wrap=lambda fo: FulfillmentOrderView(self.state, fo), **page)

    def fulfillments(self, first: int | None = None):
        views = [FulfillmentView(self.state, fid) for fid in self.order.fulfillment_ids]
        return views[:first] if first is not None else views
