"""WooCommerce REST API v3: the client the order and stock flows use."""

from daemon.connectors.woocommerce.batch import BatchFailure, BatchItemErrors, BatchResult
from daemon.connectors.woocommerce.client import WooClient
from daemon.connectors.woocommerce.errors import rest_error_code, rest_error_data

__all__ = ["BatchFailure", "BatchItemErrors", "BatchResult", "WooClient", "rest_error_code", "rest_error_data"]
