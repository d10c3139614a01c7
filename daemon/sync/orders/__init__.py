"""Pure order mapping: shop order JSON -> canonical Order -> Rackbeat order and customer JSON.

No I/O here; adapters fetch, this package translates, callers send.
"""

from daemon.sync.orders.customer_payload import CustomerDefaults, customer_payload, default_customer_number, vat_zone
from daemon.sync.orders.rackbeat_payload import PayloadOptions, build_order_payload
from daemon.sync.orders.rackbeat_totals import rackbeat_order_total
from daemon.sync.orders.shopify_graphql import order_from_shopify_graphql
from daemon.sync.orders.shopify_rest import order_from_shopify_rest
from daemon.sync.orders.triggers import TransferDecision, TransferRule, transfer_decision
from daemon.sync.orders.validation import LineProblem, line_problems
from daemon.sync.orders.woocommerce import order_from_woocommerce

__all__ = [
    "CustomerDefaults",
    "LineProblem",
    "PayloadOptions",
    "TransferDecision",
    "TransferRule",
    "build_order_payload",
    "customer_payload",
    "default_customer_number",
    "line_problems",
    "order_from_shopify_graphql",
    "order_from_shopify_rest",
    "order_from_woocommerce",
    "rackbeat_order_total",
    "transfer_decision",
    "vat_zone",
]
