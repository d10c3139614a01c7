"""In-process emulator of Ongoing WMS's goods-owner REST API v1 for end-to-end tests and the demo."""

from .app import OngoingEmulator
from .statuses import OrderStatuses, PurchaseOrderStatuses
from .store import Store
from .warehouse import Warehouse

__all__ = ["OngoingEmulator", "OrderStatuses", "PurchaseOrderStatuses", "Store", "Warehouse"]
