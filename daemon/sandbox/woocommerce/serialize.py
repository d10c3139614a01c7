"""REST JSON of each resource, field for field as ``/wc/v3`` answers (the webhook payload reuses it).

Money leaves as strings rounded to 2 dp (``wc_format_decimal($x, dp)``), except the per-rate ``taxes``
entries of line items which WooCommerce prints from the stored, unrounded values, and ``price`` which is
``total / quantity`` (after discounts, excluding tax) as a JSON number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from .dates import SiteTime
from .models import LineItem, Note, Order, Product
from .store import SiteStore

TWO_DP = Decimal("0.01")


def money(value: Decimal) -> str:
    return str(value.quantize(TWO_DP, rounding=ROUND_HALF_UP))


def stored(value: Decimal) -> str:
    """How PHP prints a float stored by ``wc_format_decimal`` (up to 6 decimals, no trailing zeros)."""
    text = f"{value.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Serializer:
    """Builds the JSON of one site's records; needs the site URL for ``permalink`` and ``_links``."""

    def __init__(self, store: SiteStore, time: SiteTime, home_url: Callable[[], str]) -> None:
        self.store = store
        self.time = time
        self._home_url = home_url

    @property
    def home_url(self) -> str:
        return self._home_url()

    def _api(self, path: str) -> str:
        return f"{self.home_url}/wp-json/wc/v3/{path}"

    # ---- products ----------------------------------------------------------------------------

    def product(self, product: Product) -> dict[str, Any]:
        if product.type == "variation":
            return self.variation(product)
        is_variable = product.type == "variable"
        price = self._lowest_variation_price(product) if is_variable else product.price
        return {
            "id": product.id,
            "name": product.name,
            "slug": product.slug,
            "permalink": f"{self.home_url}/product/{product.slug}/",
            **self.time.pair("date_created", product.date_created),
            **self.time.pair("date_modified", product.date_modified),
            "type": product.type,
            "status": product.status,
            "featured": False,
            "catalog_visibility": "visible",
            "description": product.description,
            "short_description": product.short_description,
            "sku": product.sku,
            "price": price,
            "regular_price": "" if is_variable else product.regular_price,
            "sale_price": "" if is_variable else product.sale_price,
            "on_sale": self._on_sale(product),
            "purchasable": price != "",
            "total_sales": 0,
            "virtual": False,
            "downloadable": False,
            "tax_status": "taxable",
            "tax_class": "",
            "manage_stock": product.manage_stock,
            "stock_quantity": product.stock_quantity if product.manage_stock else None,
            "backorders": product.backorders,
            "backorders_allowed": product.backorders != "no",
            "backordered": False,
            "low_stock_amount": None,
            "weight": product.weight,
            "dimensions": {"length": "", "width": "", "height": ""},
            "shipping_class": "",
            "parent_id": product.parent_id,
            "categories": [dict(self.store.categories[c]) for c in product.category_ids if c in self.store.categories],
            "tags": [],
            "images": [],
            "attributes": product.attributes,
            "default_attributes": [],
            "variations": list(product.variation_ids),
            "menu_order": 0,
            "meta_data": product.meta_data,
            "stock_status": product.stock_status,
            "has_options": is_variable,
            "_links": self._links(f"products/{product.id}", "products"),
        }

    def variation(self, variation: Product) -> dict[str, Any]:
        parent = self.store.products.get(variation.parent_id)
        inherits = not variation.manage_stock and parent is not None and parent.manage_stock
        stock_source = parent if inherits else variation
        return {
            "id": variation.id,
            "type": "variation",
            "name": variation.name,
            "parent_id": variation.parent_id,
            **self.time.pair("date_created", variation.date_created),
            **self.time.pair("date_modified", variation.date_modified),
            "description": variation.description,
            "permalink": f"{self.home_url}/product/{parent.slug if parent else variation.slug}/",
            "sku": variation.sku,
            "price": variation.price,
            "regular_price": variation.regular_price,
            "sale_price": variation.sale_price,
            "on_sale": self._on_sale(variation),
            "status": variation.status,
            "purchasable": variation.price != "",
            "virtual": False,
            "downloadable": False,
            "tax_status": "taxable",
            "tax_class": "",
            "manage_stock": "parent" if inherits else variation.manage_stock,
            "stock_quantity": stock_source.stock_quantity if stock_source.manage_stock else None,
            "stock_status": stock_source.stock_status if inherits else variation.stock_status,
            "backorders": stock_source.backorders,
            "backorders_allowed": stock_source.backorders != "no",
            "backordered": False,
            "low_stock_amount": None,
            "weight": variation.weight,
            "dimensions": {"length": "", "width": "", "height": ""},
            "shipping_class": "",
            "image": None,
            "attributes": variation.attributes,
            "menu_order": 0,
            "meta_data": variation.meta_data,
            "_links": self._links(f"products/{variation.parent_id}/variations/{variation.id}",
                                  f"products/{variation.parent_id}/variations"),
        }

    def _lowest_variation_price(self, product: Product) -> str:
        """A variable product's ``price`` is its cheapest variation's; its own prices stay empty."""
        children = [self.store.products[v] for v in product.variation_ids if v in self.store.products]
        return min((c.price for c in children if c.price != ""), key=Decimal, default="")

    @staticmethod
    def _on_sale(product: Product) -> bool:
        return product.sale_price != "" and product.regular_price != "" and Decimal(product.sale_price) < Decimal(
            product.regular_price
        )

    # ---- orders ------------------------------------------------------------------------------

    def order(self, order: Order) -> dict[str, Any]:
        return {
            "id": order.id,
            "parent_id": 0,
            "status": order.status,
            "currency": order.currency,
            "version": "9.4.2",
            "prices_include_tax": order.prices_include_tax,
            **self.time.pair("date_created", order.date_created),
            **self.time.pair("date_modified", order.date_modified),
            "discount_total": money(order.discount_total),
            "discount_tax": money(order.discount_tax),
            "shipping_total": money(order.shipping_total),
            "shipping_tax": money(order.shipping_tax),
            "cart_tax": money(order.cart_tax),
            "total": money(order.total),
            "total_tax": money(order.total_tax),
            "customer_id": order.customer_id,
            "order_key": order.order_key,
            "billing": dict(order.billing),
            "shipping": dict(order.shipping),
            "payment_method": order.payment_method,
            "payment_method_title": order.payment_method_title,
            "transaction_id": order.transaction_id,
            "customer_ip_address": "127.0.0.1",
            "customer_user_agent": "",
            "created_via": order.created_via,
            "customer_note": order.customer_note,
            **self.time.pair("date_completed", order.date_completed),
            **self.time.pair("date_paid", order.date_paid),
            "cart_hash": "",
            "number": str(order.id),
            "meta_data": order.meta_data,
            "line_items": [self._line_item(item) for item in order.line_items],
            "tax_lines": [
                {
                    "id": t.id,
                    "rate_code": t.rate_code,
                    "rate_id": t.rate_id,
                    "label": t.label,
                    "compound": t.compound,
                    "tax_total": money(t.tax_total),
                    "shipping_tax_total": money(t.shipping_tax_total),
                    "rate_percent": float(t.rate_percent),
                    "meta_data": [],
                }
                for t in order.tax_lines
            ],
            "shipping_lines": [
                {
                    "id": s.id,
                    "method_title": s.method_title,
                    "method_id": s.method_id,
                    "instance_id": "",
                    "total": money(s.total),
                    "total_tax": money(sum(s.taxes.values(), Decimal(0))),
                    "taxes": [{"id": k, "total": stored(v), "subtotal": ""} for k, v in s.taxes.items()],
                    "meta_data": [],
                }
                for s in order.shipping_lines
            ],
            "fee_lines": [],
            "coupon_lines": [
                {
                    "id": c.id,
                    "code": c.code,
                    "discount": money(c.discount),
                    "discount_tax": money(c.discount_tax),
                    "discount_type": c.discount_type,
                    "nominal_amount": float(c.nominal_amount),
                    "free_shipping": False,
                    "meta_data": [],
                }
                for c in order.coupon_lines
            ],
            "refunds": [],
            "payment_url": f"{self.home_url}/checkout/order-pay/{order.id}/?pay_for_order=true&key={order.order_key}",
            "is_editable": order.status in ("pending", "on-hold", "auto-draft", "checkout-draft"),
            "needs_payment": order.status in ("pending", "failed") and order.total > 0,
            "needs_processing": True,
            "currency_symbol": "kr." if order.currency == "DKK" else order.currency,
            "_links": self._links(f"orders/{order.id}", "orders"),
        }

    @staticmethod
    def _line_item(item: LineItem) -> dict[str, Any]:
        return {
            "id": item.id,
            "name": item.name,
            "product_id": item.product_id,
            "variation_id": item.variation_id,
            "quantity": item.quantity,
            "tax_class": item.tax_class,
            "subtotal": money(item.subtotal),
            "subtotal_tax": money(item.subtotal_tax),
            "total": money(item.total),
            "total_tax": money(item.total_tax),
            "taxes": [
                {"id": rate_id, "total": stored(total), "subtotal": stored(item.taxes_subtotal.get(rate_id, Decimal(0)))}
                for rate_id, total in item.taxes_total.items()
            ],
            "meta_data": [],
            "sku": item.sku,
            "price": float(item.total / max(1, item.quantity)),
            "image": {"id": "", "src": ""},
            "parent_name": None,
        }

    def note(self, note: Note) -> dict[str, Any]:
        return {
            "id": note.id,
            "author": note.author,
            **self.time.pair("date_created", note.date_created),
            "note": note.note,
            "customer_note": note.customer_note,
            "_links": self._links(f"orders/{note.order_id}/notes/{note.id}", f"orders/{note.order_id}/notes"),
        }

    def _links(self, self_path: str, collection_path: str) -> dict[str, Any]:
        return {"self": [{"href": self._api(self_path)}], "collection": [{"href": self._api(collection_path)}]}
